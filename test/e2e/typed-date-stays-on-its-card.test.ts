/**
 * QA q32a: a date typed into one card's Due date (or an objective's Target date), followed by a
 * click on another card, was written onto that card too: the side panel kept its date input from
 * one selected card to the next, and the input handed the date it had been typing on as it lost
 * the focus, to the card then selected. Its own date was gone for everyone, and History blamed
 * the person typing.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import type { ActionCardShape } from '../../shared/shapes.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { action } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()

/** Title → due date of the action cards as `page`'s store holds them. */
function dues(page: Page): Promise<Record<string, string>> {
  return page.evaluate(() =>
    Object.fromEntries(
      window.testEditor
        .getCurrentPageShapes()
        .filter((shape) => shape.type === 'action')
        .map((shape) => [(shape as ActionCardShape).props.title, (shape as ActionCardShape).props.due]),
    ),
  )
}

it('writes a date typed for one card on that card only, when the next card is clicked', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'actions')
  await board.write([
    action('shape:alpha', { x: 20, y: 40, parentId: ACTION_COLUMNS.open.id }, { title: 'Alpha', due: '2027-03-15' }),
    action('shape:bravo', { x: 20, y: 240, parentId: ACTION_COLUMNS.open.id }, { title: 'Bravo', due: '2027-05-20' }),
  ])
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  const { page } = tom
  await waitForBoard(page)
  await exposeEditor(page)
  await expect.poll(() => dues(page), { timeout: WAIT_MS }).toEqual({ Alpha: '2027-03-15', Bravo: '2027-05-20' })

  await clickShape(page, shapeWithText(page, 'action', 'Alpha'))
  const due = sidePanel(page).getByLabel(/^Due date/)
  await due.click()
  await page.keyboard.type('01102027') // month, day, year in the browser's en-US field
  await expect.poll(() => dues(page), { timeout: WAIT_MS }).toEqual({ Alpha: '2027-01-10', Bravo: '2027-05-20' })
  // On to the next card, as people do: a click on it.
  await clickShape(page, shapeWithText(page, 'action', 'Bravo'))
  await expect.poll(async () => await due.inputValue(), { timeout: WAIT_MS }).toBe('2027-05-20')
  // Its own date stays, as stored: once a later edit of this page arrived (one socket, in order),
  // any write of the date would have arrived before it.
  const title = sidePanel(page).getByLabel(/^Title/)
  await title.click()
  await page.keyboard.press('End')
  await page.keyboard.type(' call')
  await title.press('Tab')
  const stored = () => Object.fromEntries([...board.records().values()].filter((r) => r['type'] === 'action').map((r) => [(r['props'] as unknown as ActionCardShape['props']).title, (r['props'] as unknown as ActionCardShape['props']).due])) // action records
  await expect.poll(stored, { timeout: WAIT_MS }).toHaveProperty(['Bravo call'])
  expect(stored()).toEqual({ Alpha: '2027-01-10', 'Bravo call': '2027-05-20' })
  expect(await dues(page)).toEqual({ Alpha: '2027-01-10', 'Bravo call': '2027-05-20' })
  board.destroy()
})
