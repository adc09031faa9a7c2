/**
 * Tom types into the Notes of Kim's stakeholder card in the side panel while Fiona selects Kim's
 * card on her page and deletes it. The field leaves Tom's panel with the card; the keys he goes on
 * typing must not land on the canvas as tldraw shortcuts ('l' the laser, 'd' draw): the focus moves
 * to a notice that says Fiona deleted the card while he was typing, and keeps the text he had typed
 * where he can select and copy it, with a Close that gives the keys back to the canvas.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { stakeholder } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
let tom: Page
let fiona: Page

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Stakeholders' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([
    stakeholder('shape:kim', { x: 100, y: 100 }, { name: 'Kim Keyboard', jobTitle: 'COO' }),
    stakeholder('shape:anna', { x: 500, y: 100 }, { name: 'Anna Visible', jobTitle: 'CFO' }),
  ])
  board.destroy()
  const url = `${e2e.server.url}/w/${workshop.id}/stakeholders`
  const [t, f] = await openPeople(e2e.browser, url, ['Tom Team', 'Fiona Facilitator'])
  if (!t || !f) throw new Error('no page')
  tom = t.page
  fiona = f.page
  await Promise.all([waitForBoard(tom), waitForBoard(fiona)])
  await Promise.all([exposeEditor(tom), exposeEditor(fiona)])
})

it('keeps the focus and the typed text in a notice when a peer deletes the card being typed into', async () => {
  await clickShape(tom, shapeWithText(tom, 'stakeholder', 'Kim Keyboard'))
  const notes = sidePanel(tom).getByLabel('Notes', { exact: true })
  await notes.click()
  await tom.keyboard.type('Met Kim at the kickoff, ')
  // The notes are not drawn on the card: Fiona's store has them once they reached her.
  const fionaHasNotes = () => fiona.evaluate(() => window.testEditor.getCurrentPageShapes().some((shape) => 'notes' in shape.props && shape.props.notes === 'Met Kim at the kickoff, '))
  await waitUntil(fionaHasNotes, 'Tom’s notes on Fiona’s page')

  await clickShape(fiona, shapeWithText(fiona, 'stakeholder', 'Kim Keyboard'))
  // As a person's Delete follows their click: Tom's page has seen Fiona select the card (her presence).
  const tomSeesFionaSelect = () =>
    tom.evaluate(() => window.testEditor.store.query.records('instance_presence').get().some((presence) => presence.selectedShapeIds.some((id) => id === 'shape:kim')))
  await waitUntil(tomSeesFionaSelect, 'Fiona’s selection of Kim’s card on Tom’s page')
  await fiona.keyboard.press('Delete')
  await notes.waitFor({ state: 'detached', timeout: WAIT_MS })

  // Keys that are tldraw shortcuts on the canvas: 'l' laser, 'd' draw, 'r' rectangle, Delete.
  await tom.keyboard.type('she wants a demo')
  await tom.keyboard.press('Delete')
  expect(await tom.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  expect(await tom.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'stakeholder').length)).toBe(1)

  const notice = sidePanel(tom).getByRole('alert').filter({ hasText: 'Fiona Facilitator deleted this card while you were typing' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.evaluate((element) => element.contains(document.activeElement))).toBe(true)
  const kept = notice.getByRole('textbox', { name: 'Your text in Notes' })
  expect(await kept.inputValue()).toBe('Met Kim at the kickoff, ')
  expect(await kept.getAttribute('readonly')).not.toBeNull()

  await notice.getByRole('button', { name: 'Close' }).click()
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
})
