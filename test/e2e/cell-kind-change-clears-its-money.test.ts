/**
 * A team member who changes a whitespace cell's kind in the side panel clears its value and
 * probability in the same change ([P14], QA q33b finding 5): an opportunity of 500,000 at 75 %
 * made "We supply" has no revenue (the estimate is not our revenue); choosing the same kind again
 * keeps what it has. And the side panel takes no amount past 10,000,000,000,000 (where cents stay
 * exact, finding 8): the message says so and the card keeps its value.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const test = setUpBrowserTest()
let page: Page

beforeAll(async () => {
  const workshop = await test.server.createWorkshop({ account: 'Northwind Logistics', title: 'Whitespace' })
  const [ada] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/whitespace`, ['Ada Analyst'])
  if (!ada) throw new Error('no page')
  page = ada.page
  await waitForBoard(page)
  await exposeEditor(page)
})

/** The kind, value and probability stored on the selected cell. */
function stored(): Promise<unknown> {
  return page.evaluate(() => {
    const [shape] = window.testEditor.getSelectedShapes()
    return shape?.type === 'whitespace' ? [shape.props.kind, shape.props.value, shape.props.probability] : 'no cell selected'
  })
}

it('clears value and probability when the kind changes, not when the same kind is chosen', async () => {
  await page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add cell' }).click()
  const panel = sidePanel(page)
  const kind = panel.getByRole('combobox', { name: /^Kind/ })
  await kind.selectOption({ label: 'Open opportunity' })
  await panel.getByRole('textbox', { name: /^Estimated value/ }).fill('500000')
  await panel.getByRole('textbox', { name: /^Probability/ }).fill('75')
  await expect.poll(stored, { timeout: WAIT_MS }).toEqual(['opportunity', 500_000, 75])

  await kind.selectOption({ label: 'Open opportunity' })
  expect(await stored()).toEqual(['opportunity', 500_000, 75])

  await kind.selectOption({ label: 'We supply' })
  await expect.poll(stored, { timeout: WAIT_MS }).toEqual(['we_supply', null, null])
  expect(await panel.getByRole('textbox', { name: /^Our revenue/ }).inputValue()).toBe('')
})

it('refuses an amount past 10,000,000,000,000 with a message', async () => {
  const panel = sidePanel(page)
  const revenue = panel.getByRole('textbox', { name: /^Our revenue/ })
  await revenue.fill('400000')
  await expect.poll(stored, { timeout: WAIT_MS }).toEqual(['we_supply', 400_000, null])
  await revenue.fill('999999999999999')
  await panel.getByRole('alert').filter({ hasText: 'Our revenue must be a number from 0 to 10,000,000,000,000' }).waitFor({ timeout: WAIT_MS })
  expect(await stored()).toEqual(['we_supply', 400_000, null])
})
