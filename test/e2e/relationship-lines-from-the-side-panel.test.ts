/**
 * A stakeholder card's side panel lists its relationship lines and draws new ones, so lines can be
 * added, chosen and removed without a pointer (QA q29c: the arrow tool was the only way). A
 * customer guest is offered only the kinds the customer may see, and never lists an internal line.
 */
import type { JsonObject } from '@tldraw/utils'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'
import { setSensitivity } from '../helpers/boardPartsOnServer.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'
import { arrow, arrowBinding, stakeholder } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
let team: Page
let guest: Page
let board: BoardClient
let workshop: TestWorkshop

/** The lines stored on the board: each arrow's kind and the cards its two ends are bound to. */
const storedLines = () => {
  const records = [...board.records().values()]
  return records
    .filter((record) => record.type === 'arrow' && record.typeName === 'shape')
    .map((line) => {
      const end = (terminal: string) => records.find((b) => b.typeName === 'binding' && b.fromId === line.id && (b.props as JsonObject).terminal === terminal)?.toId
      return { kind: (line.meta as JsonObject).relationship, from: end('start'), to: end('end') }
    })
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  await board.write([
    stakeholder('shape:ann', { x: 100, y: 100 }, { name: 'Ann Ito' }),
    stakeholder('shape:lee', { x: 600, y: 100 }, { name: 'Lee Chen' }),
    stakeholder('shape:max', { x: 100, y: 500 }, { name: 'Max Ortiz' }),
    // An internal line (conflict is internal by default): the guest never lists it.
    arrow('shape:feud', { x: 200, y: 600, meta: { relationship: 'conflict' } }),
    arrowBinding('shape:feud', 'shape:max', 'start'),
    arrowBinding('shape:feud', 'shape:ann', 'end'),
  ])
  const [tina] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
  const [carla] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.guest}`, ['Carla Customer'])
  if (!tina || !carla) throw new Error('openPeople returned fewer people than names')
  team = tina.page
  guest = carla.page
  await Promise.all([waitForBoard(team), waitForBoard(guest)])
})

afterAll(() => board?.destroy())

const relationships = (page: Page) => page.getByRole('group', { name: 'Relationships' })
/** The lines listed in the card's panel, as written there. */
const listed = (page: Page) => relationships(page).locator('.relationship-list button').allInnerTexts()

describe("a stakeholder card's relationships in the side panel", () => {
  it('draws a line from the keyboard, bound to both cards, and lists it on both', async () => {
    await clickShape(team, shapeWithText(team, 'stakeholder', 'Ann Ito'))
    await expect.poll(() => listed(team), { timeout: WAIT_MS }).toEqual(['In conflict with Max Ortiz'])
    await relationships(team).getByLabel('New line').selectOption({ label: 'Reports to' })
    await relationships(team).getByLabel('With').selectOption({ label: 'Lee Chen' })
    await relationships(team).getByRole('button', { name: 'Add line' }).focus()
    await team.keyboard.press('Enter')
    await expect.poll(() => storedLines().filter((line) => line.kind === 'reports_to'), { timeout: WAIT_MS }).toEqual([{ kind: 'reports_to', from: 'shape:ann', to: 'shape:lee' }])
    await expect.poll(() => listed(team), { timeout: WAIT_MS }).toEqual(['Reports to Lee Chen', 'In conflict with Max Ortiz'])

    // A second line between the same two cards curves apart from the first (review: they lay on top of each other).
    await relationships(team).getByLabel('New line').selectOption({ label: 'Influences' })
    await relationships(team).getByLabel('With').selectOption({ label: 'Lee Chen' })
    await relationships(team).getByRole('button', { name: 'Add line' }).click()
    await expect.poll(() => storedLines().filter((line) => line.to === 'shape:lee').length, { timeout: WAIT_MS }).toBe(2)
    const bends = () => [...board.records().values()].filter((r) => r.typeName === 'shape' && r.type === 'arrow' && r.id !== 'shape:feud').map((r) => (r.props as JsonObject).bend)
    await expect.poll(() => new Set(bends()).size, { timeout: WAIT_MS }).toBe(2)
    await relationships(team).locator('.relationship-list button', { hasText: 'Influences Lee Chen' }).click()
    await team.getByRole('button', { name: 'Delete line' }).click()
    await expect.poll(() => storedLines().filter((line) => line.to === 'shape:lee').length, { timeout: WAIT_MS }).toBe(1)

    await clickShape(team, shapeWithText(team, 'stakeholder', 'Lee Chen'))
    await expect.poll(() => listed(team), { timeout: WAIT_MS }).toEqual(['Ann Ito reports to them'])
  })

  it('selects a listed line: its kind takes the focus, and its Delete line button removes it', async () => {
    await relationships(team).getByRole('button', { name: 'Ann Ito reports to them' }).click()
    const kind = team.getByLabel('Relationship kind')
    await expect.poll(() => kind.evaluate((element) => element === document.activeElement), { timeout: WAIT_MS }).toBe(true)
    await kind.selectOption({ label: 'Ally' })
    await expect.poll(() => storedLines().find((line) => line.from === 'shape:ann' && line.to === 'shape:lee')?.kind, { timeout: WAIT_MS }).toBe('ally')
    // From the keyboard: Tab on from the kind to the button.
    await team.keyboard.press('Tab')
    expect(await team.evaluate(() => document.activeElement?.textContent)).toBe('Delete line')
    await team.keyboard.press('Enter')
    await expect.poll(() => storedLines().filter((line) => line.to === 'shape:lee'), { timeout: WAIT_MS }).toEqual([])
  })

  it("offers a guest only the customer's kinds and lists no internal line", async () => {
    await clickShape(guest, shapeWithText(guest, 'stakeholder', 'Ann Ito'))
    const group = relationships(guest)
    await group.getByLabel('New line').waitFor({ timeout: WAIT_MS })
    expect(await group.getByLabel('New line').locator('option').allInnerTexts()).toEqual(['Reports to'])
    expect(await group.getByText('No lines to or from this card yet.').isVisible()).toBe(true)
    await group.getByLabel('With').selectOption({ label: 'Max Ortiz' })
    await group.getByRole('button', { name: 'Add line' }).click()
    await expect.poll(() => storedLines().filter((line) => line.from === 'shape:ann' && line.to === 'shape:max'), { timeout: WAIT_MS }).toEqual([{ kind: 'reports_to', from: 'shape:ann', to: 'shape:max' }])
    await expect.poll(() => listed(guest), { timeout: WAIT_MS }).toEqual(['Reports to Max Ortiz'])

    // Names made internal: the guest's panel says so, as its cards do (review: "Unnamed stakeholder").
    await setSensitivity(e2e.server, workshop, { 'stakeholder.name': 'internal' })
    await expect.poll(() => listed(guest), { timeout: WAIT_MS }).toEqual(['Reports to Name not shared'])
  })
})
