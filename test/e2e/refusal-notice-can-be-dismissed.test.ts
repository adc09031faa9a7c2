/**
 * The notice a page shows after the server refused one of its changes (4422, docs/server-rules.md
 * [S26]) can be dismissed: it has a Dismiss button, reached from the notice with Tab, and Esc on the
 * notice dismisses it too. The refused change is a guest's page writing an internal status, which
 * the page itself never does ([A31]); the test writes it through tldraw's editor to meet the refusal.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { ACTION_COLUMNS } from '../../shared/templates.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { action } from '../helpers/planBoards.ts'
import { putAsFacilitator, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let guest: Page

const put = (path: string, body: unknown) => putAsFacilitator(e2e.server, workshop, path, body)

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint action plan' })
  await put('settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } })
  await put('sensitivity', { fields: { 'action.status': 'internal' } })
  const board = await openBoard(e2e.server, workshop.id, 'actions', 'Seeder')
  await board.write([action('shape:renew', { x: 16, y: 16, parentId: ACTION_COLUMNS.open.id }, { title: 'Renew the frame contract' })])
  board.destroy()
  const [carla] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.guest}`, ['Carla Customer'])
  if (!carla) throw new Error('no guest page')
  guest = carla.page
  await waitForBoard(guest)
})

/** Makes the guest's page write the internal status, which the server refuses; waits for the notice. */
async function refusedChange() {
  await waitForBoard(guest)
  await exposeEditor(guest)
  await guest.waitForFunction(() => window.testEditor.getShape('shape:renew' as never) !== undefined, undefined, { timeout: WAIT_MS })
  await guest.evaluate(() => {
    window.testEditor.updateShape({ id: 'shape:renew' as never, type: 'action', props: { status: 'done' } })
  })
  const notice = guest.locator('.board-notice[role="alert"]')
  await notice.waitFor({ timeout: WAIT_MS })
  return notice
}

it('[S26] dismisses the refusal notice with its button, reached with the keyboard', async () => {
  const notice = await refusedChange()
  await guest.waitForFunction(() => document.activeElement?.classList.contains('board-notice') === true, undefined, { timeout: WAIT_MS })
  await guest.keyboard.press('Tab')
  const dismiss = notice.getByRole('button', { name: 'Dismiss' })
  expect(await dismiss.evaluate((element) => element === document.activeElement)).toBe(true)
  await guest.keyboard.press('Enter')
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
})

it('[S26] dismisses the refusal notice with Esc', async () => {
  const notice = await refusedChange()
  await notice.focus()
  await guest.keyboard.press('Escape')
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
})
