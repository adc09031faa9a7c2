/**
 * [A42] in real Chromium: a customer guest on the shared action plan picks the objectives an
 * action serves, from the objectives the customer may see (not the team's internal one), and the
 * link reaches everyone while the action keeps its link to the internal objective. The team's
 * "View as customer" shows the picker as the guest's page has it.
 */
import type { JsonObject } from '@tldraw/utils'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { action, objective } from '../helpers/planBoards.ts'
import { teamPage } from '../helpers/teamAndGuest.ts'

const json = (value: unknown) => value as JsonObject // test records are JSON
const e2e = setUpBrowserTest()
let guest: Page
let team: Page
let actions: BoardClient
let objectives: Awaited<ReturnType<typeof teamPage>>

const linked = () => (actions.records().get('shape:a1')?.props as { objectives?: string[] } | undefined)?.objectives

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'Joint plan' })
  const settings = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, objectives: true, actions: true, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  objectives = await teamPage(e2e.server, workshop, 'objectives', 'Ada')
  await objectives.change([
    objective('shape:o1', { x: 100, y: 120 }, { objective: 'Raise NPS' }),
    objective('shape:o2', { x: 500, y: 120 }, { objective: 'Cut cost to serve' }),
    objective('shape:o-secret', { x: 900, y: 120, meta: { [INTERNAL_META_KEY]: true } }, { objective: 'Win the renewal before the competitor does' }),
  ].map(json))
  actions = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await actions.write([action('shape:a1', { x: 20, y: 20, parentId: ACTION_COLUMNS.open.id }, { title: 'Pilot with Ops', objectives: ['shape:o-secret'] })])
  const [carla] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.guest}`, ['Carla Customer'])
  const [tina] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions`, ['Tina Team'])
  if (!carla || !tina) throw new Error('openPeople returned fewer people than names')
  guest = carla.page
  team = tina.page
  await Promise.all([waitForBoard(guest), waitForBoard(team)])
})

afterAll(() => {
  objectives?.destroy()
  actions?.destroy()
})

/** The objectives the picker offers on `page`, once it offers any. */
const offered = async (page: Page) => {
  const picker = page.getByRole('group', { name: 'Serves objectives' })
  await picker.getByRole('checkbox').first().waitFor({ timeout: WAIT_MS })
  return (await picker.locator('label').allInnerTexts()).map((label) => label.trim())
}

describe("a guest's Serves objectives picker", () => {
  it('offers the objectives the customer sees, and ticking one links the action for everyone', async () => {
    await clickShape(guest, shapeWithText(guest, 'action', 'Pilot with Ops'))
    expect(await offered(guest)).toEqual(['Raise NPS', 'Cut cost to serve'])
    expect(await guest.content()).not.toContain('Win the renewal')
    await guest.getByRole('group', { name: 'Serves objectives' }).locator('label', { hasText: 'Raise NPS' }).click()
    // The link to the internal objective, which the guest's page never saw, stays.
    await expect.poll(linked, { timeout: WAIT_MS }).toEqual(['shape:o-secret', 'shape:o1'])
    await expect.poll(() => guest.getByRole('checkbox', { name: 'Raise NPS' }).isChecked(), { timeout: WAIT_MS }).toBe(true)
  })

  it('offers no "Answers" picker on an objective while the SWOT is not shared with the customer (QA q30b)', async () => {
    await guest.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Objectives & KPIs' }).click()
    await waitForBoard(guest)
    await clickShape(guest, shapeWithText(guest, 'objective', 'Raise NPS'))
    await guest.locator('.inspector').getByLabel('Objective', { exact: true }).waitFor({ timeout: WAIT_MS })
    expect(await guest.getByRole('group', { name: 'Answers (SWOT weaknesses and threats)' }).count()).toBe(0)
    expect(await guest.getByText('None on the board yet.').count()).toBe(0)
    await guest.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
    await waitForBoard(guest)
    await clickShape(guest, shapeWithText(guest, 'action', 'Pilot with Ops'))
  })

  it('"View as customer" shows the picker as the guest has it', async () => {
    await team.getByRole('button', { name: 'View as customer' }).click()
    await clickShape(team, shapeWithText(team, 'action', 'Pilot with Ops'))
    expect(await offered(team)).toEqual(await offered(guest))
    expect(await team.getByRole('checkbox', { name: 'Raise NPS' }).isChecked()).toBe(true)
    await team.getByRole('button', { name: 'Back to the team view' }).click()
    await clickShape(team, shapeWithText(team, 'action', 'Pilot with Ops'))
    await expect.poll(() => offered(team), { timeout: WAIT_MS }).toEqual(['Raise NPS', 'Cut cost to serve', 'Win the renewal before the competitor does'])
  })
})
