/**
 * Issue 13 in Chromium, three people on a customer-facing stakeholder map: the facilitator makes
 * "Attitude to us" customer-visible in the Share panel and the connected guest's card shows the
 * attitude at once; made internal again, it is gone from the guest's card. The guest's websockets
 * never carried the value before it was shared, nor ever an internal field that stayed internal
 * ([A35], [C11]). The team's page follows each change at once: the lock on the card's field and in
 * its read-only Share panel. A refused change says so and leaves the field as it was.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { clickShape, openPeople, shapeWithText, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
const CANARY = 'CANARY-share-5d1'
let workshop: TestWorkshop
let facilitator: Page
let team: Page
let guest: Page
/** Every websocket frame the guest's page received, in order. */
const guestHeard: string[] = []

/** Opens `link` in a fresh browser context as `name`, then the stakeholder map. */
async function openOnStakeholders(link: string, name: string): Promise<Page> {
  const [person] = await openPeople(e2e.browser, link, [name])
  if (!person) throw new Error('no page')
  await waitForBoard(person.page)
  if (!person.page.url().includes('/stakeholders')) {
    await person.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Stakeholder map' }).click()
    await person.page.waitForURL((url) => url.pathname.endsWith('/stakeholders'), { timeout: WAIT_MS })
    await waitForBoard(person.page)
  }
  return person.page
}

/** The lock on the Anna card's attitude badge, on a team page. */
const attitudeLock = (page: Page) => shapeWithText(page, 'stakeholder', 'Anna Visible').locator('.kp-field-lock[data-field="attitude"]')

/** The "Attitude to us" choice of the Share panel's stakeholder group, opened if closed. */
async function attitudeChoice(page: Page, dialog: string, choice: RegExp) {
  const panel = page.getByRole('dialog', { name: dialog })
  if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Share' }).click()
  const group = panel.locator('details[data-group="stakeholder"]')
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click()
  return group.getByRole('radiogroup', { name: 'Attitude to us' }).getByRole('radio', { name: choice })
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  const settings = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Visible', jobTitle: 'CFO', attitude: 'blocker', owner: `${CANARY} owner` })])
  board.destroy()

  // The guest's page records every frame from its first byte on.
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  guest = await context.newPage()
  guest.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => guestHeard.push(typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1'))),
  )
  const link = new URL(workshop.links.guest)
  link.searchParams.set('name', 'Carla Customer')
  await guest.goto(link.toString())
  await waitForBoard(guest)
  expect(new URL(guest.url()).pathname).toBe(`/w/${workshop.id}/stakeholders`)
  team = await openOnStakeholders(workshop.links.team, 'Tina Team')
  facilitator = await openOnStakeholders(`${e2e.server.url}/w/${workshop.id}/stakeholders`, 'Fiona Facilitator')
})

describe('the Share panel sets which fields the customer sees', () => {
  it('shows every field by card type, the defaults marked; the team reads it, the guest has no panel', async () => {
    await shapeWithText(guest, 'stakeholder', 'Anna Visible').waitFor({ timeout: WAIT_MS })
    expect(await guest.getByRole('button', { name: 'Share' }).count()).toBe(0)
    // The guest's side panel leaves internal fields out ([C11]): nothing to type into that the
    // server would refuse.
    await clickShape(guest, shapeWithText(guest, 'stakeholder', 'Anna Visible'))
    await guest.getByLabel('Name', { exact: true }).waitFor({ timeout: WAIT_MS })
    await waitUntil(async () => (await guest.getByLabel('Department').count()) === 1, 'the guest panel to show a visible field')
    expect(await guest.getByLabel('Attitude to us').count()).toBe(0)
    expect(await guest.getByLabel('Notes').count()).toBe(0)
    const internal = await attitudeChoice(facilitator, 'Share this workshop', /^Internal/)
    await internal.waitFor({ timeout: WAIT_MS })
    expect(await internal.isChecked()).toBe(true)
    expect(await internal.isEnabled()).toBe(true)
    const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
    expect(await panel.locator('details summary').allInnerTexts()).toEqual([
      expect.stringContaining('Stakeholder cards'),
      expect.stringContaining('Lines on the stakeholder map'),
      expect.stringContaining('Action cards'),
      expect.stringContaining('Objective cards'),
      expect.stringContaining('Whitespace cells'),
      expect.stringContaining('Competitor cards'),
    ])
    // The default is marked on the choice it is.
    expect(await internal.evaluate((input) => input.closest('label')?.textContent)).toBe('Internal (default)')
    const teamInternal = await attitudeChoice(team, 'What the customer sees', /^Internal/)
    await teamInternal.waitFor({ timeout: WAIT_MS })
    expect(await teamInternal.isChecked()).toBe(true)
    expect(await teamInternal.isDisabled()).toBe(true)
    // The team's card carries the lock on the internal field; the guest's page no lock at all.
    await attitudeLock(team).waitFor({ timeout: WAIT_MS })
    expect(await attitudeLock(team).getAttribute('title')).toBe('Internal — not shown to the customer')
    expect(await guest.locator('.internal-mark').count()).toBe(0)
  })

  it('makes the attitude customer-visible: the connected guest sees it at once, the team loses the lock [A35][C11]', async () => {
    // Before the change, not one frame the guest received carried the attitude or the owner.
    expect(guestHeard.join('\n')).not.toContain('blocker')
    expect(guestHeard.join('\n')).not.toContain(CANARY)
    // The guest's card shows no attitude at all, not the default it holds in its place ("Neutral").
    expect(await shapeWithText(guest, 'stakeholder', 'Neutral').count()).toBe(0)

    const visible = await attitudeChoice(facilitator, 'Share this workshop', /^Customer-visible/)
    const saved = facilitator.waitForResponse((r) => r.url().endsWith('/sensitivity') && r.request().method() === 'PUT')
    await visible.check()
    expect((await saved).status()).toBe(200)
    await facilitator.getByRole('status').filter({ hasText: 'Saved' }).waitFor({ timeout: WAIT_MS })

    await shapeWithText(guest, 'stakeholder', 'Blocker').waitFor({ timeout: WAIT_MS })
    // The field appears in the guest's side panel at once, editable like any visible field.
    await guest.getByLabel('Attitude to us').waitFor({ timeout: WAIT_MS })
    expect(await guest.getByLabel('Attitude to us').isDisabled()).toBe(false)
    await attitudeLock(team).waitFor({ state: 'detached', timeout: WAIT_MS })
    await waitUntil(async () => (await attitudeChoice(team, 'What the customer sees', /^Customer-visible/)).isChecked(), 'the team panel shows the change')
    expect(await guest.locator('.internal-mark').count()).toBe(0)
  })

  it('makes it internal again: gone from the guest’s card at once, the lock back on the team’s', async () => {
    const internal = await attitudeChoice(facilitator, 'Share this workshop', /^Internal/)
    const saved = facilitator.waitForResponse((r) => r.url().endsWith('/sensitivity') && r.request().method() === 'PUT')
    await internal.check()
    expect((await saved).status()).toBe(200)
    await shapeWithText(guest, 'stakeholder', 'Blocker').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await shapeWithText(guest, 'stakeholder', 'Neutral').count()).toBe(0)
    await guest.getByLabel('Attitude to us').waitFor({ state: 'detached', timeout: WAIT_MS })
    await attitudeLock(team).waitFor({ timeout: WAIT_MS })
    // The team still sees the value itself.
    await shapeWithText(team, 'stakeholder', 'Blocker').waitFor({ timeout: WAIT_MS })
    expect(await guest.content()).not.toContain(CANARY)
    expect(guestHeard.join('\n')).not.toContain(CANARY)
  })

  it('says so when the server refuses a change, and keeps the field as it was [S40]', async () => {
    // The answer of an instance that could not tell the others (docs/server-rules.md [S40]; served
    // for real by `sensitivity-generation-never-behind-a-committed-change.test.ts`, which needs
    // Redis cut for one instance only).
    const path = `**/api/workshops/${workshop.id}/sensitivity`
    const message = 'The change was not applied: the other Keyplan servers could not be told of it. Nothing changed; try again in a moment.'
    await facilitator.route(path, (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'sensitivity_not_announced', message } }) })
        : route.continue(),
    )
    try {
      const visible = await attitudeChoice(facilitator, 'Share this workshop', /^Customer-visible/)
      // click, not check: the refused choice may already have gone back when check() looks.
      await visible.click()
      await facilitator.getByRole('dialog', { name: 'Share this workshop' }).getByRole('alert').filter({ hasText: message }).waitFor({ timeout: WAIT_MS })
      await waitUntil(async () => (await attitudeChoice(facilitator, 'Share this workshop', /^Internal/)).isChecked(), 'the choice goes back')
      expect(await shapeWithText(guest, 'stakeholder', 'Blocker').count()).toBe(0)
    } finally {
      await facilitator.unroute(path)
    }
  })

  it('keeps another facilitator’s change made while this panel was sending its own (QA q36a: the panel sent every field as it had loaded them, undoing it)', async () => {
    const path = `**/api/workshops/${workshop.id}/sensitivity`
    // The other facilitator's change lands between this panel's click and its request's arrival.
    await facilitator.route(path, async (route) => {
      if (route.request().method() !== 'PUT') return route.continue()
      const other = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/sensitivity`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { 'action.status': 'internal' } }),
      })
      expect(other.status).toBe(200)
      await route.continue()
    })
    try {
      const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
      if (!(await panel.isVisible())) await facilitator.getByRole('button', { name: 'Share' }).click()
      const group = panel.locator('details[data-group="stakeholder"]')
      if ((await group.getAttribute('open')) === null) await group.locator('summary').click()
      const saved = facilitator.waitForResponse((r) => r.url().endsWith('/sensitivity') && r.request().method() === 'PUT')
      await group.getByRole('radiogroup', { name: 'Job title' }).getByRole('radio', { name: /^Internal/ }).click()
      expect((await saved).status()).toBe(200)
    } finally {
      await facilitator.unroute(path)
    }
    const stored = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/sensitivity`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
    const { sensitivity } = (await stored.json()) as { sensitivity: Record<string, string> }
    expect({ jobTitle: sensitivity['stakeholder.jobTitle'], status: sensitivity['action.status'] }).toEqual({ jobTitle: 'internal', status: 'internal' })
    // Both panels show both.
    for (const page of [facilitator, team]) {
      const dialog = page === facilitator ? 'Share this workshop' : 'What the customer sees'
      const panel = page.getByRole('dialog', { name: dialog })
      if (!(await panel.isVisible())) await page.getByRole('button', { name: 'Share' }).click()
      const actions = panel.locator('details[data-group="action"]')
      if ((await actions.getAttribute('open')) === null) await actions.locator('summary').click()
      await waitUntil(async () => actions.getByRole('radiogroup', { name: 'Status' }).getByRole('radio', { name: /^Internal/ }).isChecked(), 'the panel shows the other change')
    }
  })
})
