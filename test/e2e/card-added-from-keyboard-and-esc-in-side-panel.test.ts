/**
 * The side panel from the keyboard. Enter on the stakeholder map's "Add stakeholder" button opens
 * the new card with the focus in its Name field, so the name typed next goes there and not to the
 * canvas as tldraw shortcuts ('l' the laser). Esc in a side-panel field leaves the field for the
 * canvas with the card still selected; a second Esc is tldraw's, which deselects the card.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { openPeople, shapeWithText, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()
let page: Page

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Stakeholders' })
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  page = tom.page
  await waitForBoard(page)
  await exposeEditor(page)
})

const inSidePanel = () => sidePanel(page).evaluate((panel) => panel.contains(document.activeElement))

it('a card added with Enter on the toolbar button opens with the focus in its Name field', async () => {
  await page.getByRole('button', { name: 'Add stakeholder' }).focus()
  await page.keyboard.press('Enter')
  const name = sidePanel(page).getByLabel('Name', { exact: true })
  await waitUntil(() => name.evaluate((element) => element === document.activeElement), 'the focus in the Name field')
  await page.keyboard.type('Lara Lindqvist')
  await shapeWithText(page, 'stakeholder', 'Lara Lindqvist').waitFor({ timeout: WAIT_MS })
  expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
})

it('Esc leaves a side-panel field with the card selected; a second Esc deselects it', async () => {
  await sidePanel(page).getByLabel('Job title').click()
  await page.keyboard.type('COO')
  await page.keyboard.press('Escape')
  expect(await inSidePanel()).toBe(false)
  expect(await page.evaluate(() => window.testEditor.getSelectedShapes().map((shape) => shape.type))).toEqual(['stakeholder'])

  await page.keyboard.press('Escape')
  await waitUntil(async () => (await page.evaluate(() => window.testEditor.getSelectedShapeIds().length)) === 0, 'the card deselected')
  await shapeWithText(page, 'stakeholder', 'COO').waitFor({ timeout: WAIT_MS })
})

it('with the details panel hidden, a card added with Enter opens the panel with the focus in its Name field (QA q36c)', async () => {
  await page.getByRole('button', { name: 'Hide details panel' }).click()
  await sidePanel(page).waitFor({ state: 'hidden', timeout: WAIT_MS })
  const before = await page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'stakeholder').length)
  await page.getByRole('button', { name: 'Add stakeholder' }).focus()
  await page.keyboard.press('Enter')
  const name = sidePanel(page).getByLabel('Name', { exact: true })
  await waitUntil(() => name.evaluate((element) => element === document.activeElement), 'the focus in the Name field of the panel shown')
  // Spaces and letters go to the name: no card added by a space on the button, no tool switched.
  await page.keyboard.type('Ana Silva')
  await shapeWithText(page, 'stakeholder', 'Ana Silva').waitFor({ timeout: WAIT_MS })
  expect(await page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'stakeholder').length)).toBe(before + 1)
  expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  // Shown for the card, not chosen: the next visit keeps the person's choice of a hidden panel.
  expect(await page.evaluate(() => window.localStorage.getItem('keyplan:sidePanel:wide'))).toBe('closed')
})
