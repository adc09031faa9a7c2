/**
 * QA q30a: one person typing into the same field in two tabs was told that they themselves ("Tom
 * Team is typing here…") got in their way. A tab of the same person is named "Your other tab".
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { action } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
let board: BoardClient
let first: Page
let second: Page

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  board = await openBoard(e2e.server, workshop.id, 'actions', 'Ada')
  await board.write([action('shape:a1', { x: 20, y: 20, parentId: ACTION_COLUMNS.open.id }, { title: 'Pilot with Ops' })])
  const url = `${e2e.server.url}/w/${workshop.id}/actions`
  const [tom] = await openPeople(e2e.browser, url, ['Tom Team'])
  if (!tom) throw new Error('no page')
  first = tom.page
  // The same browser, so the same person: a second tab.
  second = await tom.context.newPage()
  await second.goto(first.url())
  await Promise.all([waitForBoard(first), waitForBoard(second)])
})

afterAll(() => board?.destroy())

it("names the person's other tab as such, not by their own name", async () => {
  for (const page of [first, second]) await clickShape(page, shapeWithText(page, 'action', 'Pilot with Ops'))
  const owner = first.locator('.inspector').getByLabel('Owner', { exact: true })
  await owner.click()
  await owner.pressSequentially('Tom', { delay: 50 })
  const notice = second.locator('.inspector .field-typing')
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.innerText()).toBe('Your other tab is typing here…')
})
