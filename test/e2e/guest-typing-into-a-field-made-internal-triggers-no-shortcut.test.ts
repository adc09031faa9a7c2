/**
 * A guest types into a card field on a customer-facing stakeholder map while the facilitator makes
 * that field internal in the Share panel. The field leaves the guest's side panel at once ([C11]);
 * the keys the guest goes on typing must not land on the canvas as tldraw shortcuts ('d' draw, 'r'
 * rectangle, Delete the selected card): the focus moves to a notice that says the field is now
 * internal, which keeps the keys to itself. Two ways the field goes: the guest's last keys are
 * refused by the server and the board is reloaded (the refusal notice takes the focus), or the
 * field leaves a panel that stays (a notice in its place takes it).
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { stakeholder } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
let facilitator: Page
let guest: Page

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  const settings = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Visible', jobTitle: 'CFO', department: 'Finance' })])
  board.destroy()

  const link = new URL(workshop.links.guest)
  const [carla] = await openPeople(e2e.browser, link.toString(), ['Carla Customer'])
  const [fiona] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Fiona Facilitator'])
  if (!carla || !fiona) throw new Error('no page')
  guest = carla.page
  facilitator = fiona.page
  await Promise.all([waitForBoard(guest), waitForBoard(facilitator)])
  await Promise.all([exposeEditor(guest), exposeEditor(facilitator)])
})

/** Makes the stakeholder card field `field` internal in the facilitator's Share panel. */
async function makeInternal(field: string): Promise<void> {
  const panel = facilitator.getByRole('dialog', { name: 'Share this workshop' })
  if (!(await panel.isVisible())) await facilitator.getByRole('button', { name: 'Share' }).click()
  const group = panel.locator('details[data-group="stakeholder"]')
  if ((await group.getAttribute('open')) === null) await group.locator('summary').click()
  const saved = facilitator.waitForResponse((r) => r.url().endsWith('/sensitivity') && r.request().method() === 'PUT')
  await group.getByRole('radiogroup', { name: field }).getByRole('radio', { name: /^Internal/ }).check()
  expect((await saved).status()).toBe(200)
}

/** Types on as a person in the middle of a word does, then checks nothing reached the canvas. */
async function typeOnAndCheckTheCanvas(): Promise<void> {
  // The guest's page may have rebuilt its canvas (and with it the editor) meanwhile.
  await exposeEditor(guest)
  await guest.keyboard.type(' drop')
  await guest.keyboard.press('Delete')
  await guest.keyboard.press('Backspace')
  expect(await guest.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  expect(await guest.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type !== 'frame').length)).toBe(1)
  await shapeWithText(guest, 'stakeholder', 'Anna Visible').waitFor({ timeout: WAIT_MS })
  expect(await facilitator.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'stakeholder').length)).toBe(1)
}

it('a refused last keystroke reloads the board: the notice takes the focus, and the keys typed next are no canvas shortcuts', async () => {
  await clickShape(guest, shapeWithText(guest, 'stakeholder', 'Anna Visible'))
  const department = sidePanel(guest).getByLabel('Department')
  await department.click()
  await guest.keyboard.press('End')
  await guest.keyboard.type(' and')

  await makeInternal('Department')
  await department.waitFor({ state: 'detached', timeout: WAIT_MS })
  const notice = guest.locator('.board-notice').filter({ hasText: '“Department” internal' })
  await notice.waitFor({ timeout: WAIT_MS })
  // The reloaded canvas is mounted before the keys are typed.
  await guest.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  await shapeWithText(guest, 'stakeholder', 'Anna Visible').waitFor({ timeout: WAIT_MS })
  await typeOnAndCheckTheCanvas()
  expect(await notice.evaluate((element) => element === document.activeElement)).toBe(true)
})

it('a field that leaves the panel as the guest is in it: a notice in its place takes the focus', async () => {
  await clickShape(guest, shapeWithText(guest, 'stakeholder', 'Anna Visible'))
  const jobTitle = sidePanel(guest).getByLabel('Job title')
  await jobTitle.click()
  await guest.keyboard.press('End')

  await makeInternal('Job title')
  await jobTitle.waitFor({ state: 'detached', timeout: WAIT_MS })
  const notice = sidePanel(guest).getByText('“Job title” is now internal')
  await notice.waitFor({ timeout: WAIT_MS })
  await typeOnAndCheckTheCanvas()
  expect(await notice.evaluate((element) => element === document.activeElement)).toBe(true)
})
