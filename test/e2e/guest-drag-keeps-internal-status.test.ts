/**
 * Issue 11 and [A31] in Chromium: on a customer-facing action plan whose `status` field is
 * internal, a guest dragging a card across the status columns never meets the server's refusal
 * (4422, and the reload that follows): the guest's page writes no status, the card dropped in
 * another column goes back to its own, and a short notice says why. The team's page sees the card
 * in its column with its status unchanged.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import type { ActionCardShape } from '../../shared/shapes.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { openPeople, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { putAsFacilitator, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
const TITLE = 'Renew the frame contract'
let workshop: TestWorkshop
let team: Page
let guest: Page

/** The action card titled {@link TITLE} as `page`'s store holds it. */
function card(page: Page): Promise<ActionCardShape | null> {
  return page.evaluate((title) => {
    const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
    return (found ?? null) as ActionCardShape | null
  }, TITLE)
}

/** Where on the screen the centre of the card titled {@link TITLE} is, on `page`. */
async function cardCentre(page: Page): Promise<{ x: number; y: number }> {
  const centre = await page.evaluate((title) => {
    const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
    const bounds = found && window.testEditor.getShapePageBounds(found)
    return bounds ? window.testEditor.pageToScreen(bounds.center) : null
  }, TITLE)
  if (!centre) throw new Error('the card is not on the page')
  return centre
}

const put = (path: string, body: unknown) => putAsFacilitator(e2e.server, workshop, path, body)

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint action plan' })
  await put('settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } })
  await put('sensitivity', { fields: { 'action.status': 'internal' } })
  const [teamPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions`, ['Tina Team'])
  if (!teamPerson) throw new Error('no team page')
  team = teamPerson.page
  await waitForBoard(team)
  await exposeEditor(team)
  await team.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(team).getByLabel('Title').fill(TITLE)
  await waitUntil(async () => (await card(team))?.parentId === ACTION_COLUMNS.open.id, 'the card in Open on the team page')

  const [guestPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.guest}`, ['Carla Customer'])
  if (!guestPerson) throw new Error('no guest page')
  guest = guestPerson.page
  await waitForBoard(guest)
  await exposeEditor(guest)
  await waitUntil(async () => (await card(guest)) !== null, 'the card on the guest page')
})

it('keeps a guest’s card in its column when dropped in another, says why, and never closes the socket', async () => {
  // Marks this very document: a reload after a refusal would lose it.
  await guest.evaluate(() => {
    document.documentElement.dataset['testNotReloaded'] = 'yes'
  })
  const start = await cardCentre(guest)
  const { x, y, w, h } = ACTION_COLUMNS.done.bounds
  const overDone = await guest.evaluate((p) => window.testEditor.pageToScreen(p), { x: x + w / 2, y: y + h / 2 })
  await guest.mouse.move(start.x, start.y)
  await guest.mouse.down()
  await guest.mouse.move(overDone.x, overDone.y, { steps: 12 })
  await guest.mouse.move(overDone.x + 5, overDone.y + 5, { steps: 2 })
  await waitUntil(async () => (await card(guest))?.parentId === ACTION_COLUMNS.done.id, 'the card over Done on the guest page')
  await guest.mouse.up()

  await guest.getByRole('status').filter({ hasText: 'Status is kept by the account team on this board' }).waitFor({ timeout: WAIT_MS })
  await waitUntil(async () => (await card(guest))?.parentId === ACTION_COLUMNS.open.id, 'the card back in Open on the guest page')
  await waitUntil(async () => (await card(team))?.parentId === ACTION_COLUMNS.open.id, 'the card in Open on the team page')
  expect((await card(team))?.props.status).toBe('open')
  // No refusal: no notice of a refused change, the same document, the board still connected.
  expect(await guest.getByRole('alert').count()).toBe(0)
  expect(await guest.evaluate(() => document.documentElement.dataset['testNotReloaded'])).toBe('yes')
  expect(await guest.locator('.connection').first().getAttribute('data-state')).toBe('connected')
})

it('puts a card whose status was made internal mid-drag in the column of the status it holds, not back in its first one (QA q30b)', async () => {
  const notice = guest.getByRole('status').filter({ hasText: 'Status is kept by the account team on this board' })
  if ((await notice.count()) > 0) await notice.getByRole('button', { name: 'Dismiss' }).click()
  await put('sensitivity', { fields: { 'action.status': 'visible' } })
  const screenOf = (column: keyof typeof ACTION_COLUMNS) => {
    const { x, y, w, h } = ACTION_COLUMNS[column].bounds
    return guest.evaluate((p) => window.testEditor.pageToScreen(p), { x: x + w / 2, y: y + h / 2 })
  }
  const start = await cardCentre(guest)
  // Selected, its side panel shows the status while Carla may see it.
  await guest.evaluate((title) => {
    const found = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'action' && (shape as ActionCardShape).props.title === title)
    if (found) window.testEditor.select(found.id)
  }, TITLE)
  await sidePanel(guest).getByLabel('Status').waitFor({ timeout: WAIT_MS })
  await guest.mouse.move(start.x, start.y)

  // Carla drags the card over Done while she may set the status: it is Done, for everyone.
  const overDone = await screenOf('done')
  await guest.mouse.down()
  await guest.mouse.move(overDone.x, overDone.y, { steps: 12 })
  await guest.mouse.move(overDone.x + 5, overDone.y + 5, { steps: 2 })
  await waitUntil(async () => (await card(team))?.props.status === 'done', 'the card Done on the team page')
  // Mid-drag the facilitator makes the status internal; she drops the card over Blocked.
  await put('sensitivity', { fields: { 'action.status': 'internal' } })
  await sidePanel(guest).getByLabel('Status').waitFor({ state: 'detached', timeout: WAIT_MS })
  // The server's move of the status out of the shared record (rewritten whole at its default) has
  // reached her page (a move of hers sent in the same instant can be undone by that rewrite). Or a
  // write of her page crossed the change: the server refused it (4422) and her page reloaded the
  // board, which ends the drag; then what the team sees must still agree, column and status.
  const refused = guest.getByRole('alert').filter({ hasText: 'made a field you changed internal' })
  await waitUntil(async () => (await refused.count()) > 0 || (await card(guest))?.props.status === 'open', 'the status moved out of the guest page')
  if ((await refused.count()) > 0) {
    await guest.mouse.up()
    await waitUntil(async () => {
      const now = await card(team)
      return now !== null && now.parentId === ACTION_COLUMNS[now.props.status].id
    }, 'the team card in the column of its status')
    return
  }
  const overBlocked = await screenOf('blocked')
  await guest.mouse.move(overBlocked.x, overBlocked.y, { steps: 12 })
  await guest.mouse.move(overBlocked.x + 5, overBlocked.y + 5, { steps: 2 })
  await waitUntil(async () => (await card(guest))?.parentId === ACTION_COLUMNS.blocked.id, 'the card over Blocked on the guest page')
  await guest.mouse.up()

  // It lands in Done, the column of the status it holds, on both pages; nobody sees a Done card in Open.
  await notice.waitFor({ timeout: WAIT_MS })
  await waitUntil(async () => (await card(guest))?.parentId === ACTION_COLUMNS.done.id, 'the card in Done on the guest page')
  await waitUntil(async () => (await card(team))?.parentId === ACTION_COLUMNS.done.id, 'the card in Done on the team page')
  expect((await card(team))?.props.status).toBe('done')
  expect(await guest.getByRole('alert').count()).toBe(0)
})
