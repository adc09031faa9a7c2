/**
 * [S42] "Save snapshot" in real Chromium: the page's own last edit, still on its way, is not left
 * out of the snapshot. The page's websocket frames to the server are held back (Playwright routes
 * the sync sockets) while a status is changed: Save then tells the person that the edits on the
 * Action plan have not reached the server and offers to save without them; once the frames go
 * through, Save stores a snapshot holding the new status.
 */
import type { Page, WebSocketRoute } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { SnapshotListSchema } from '../../shared/snapshotApi.ts'
import { clickShape, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { facilitatorToken, workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest({ snapshotSeenWaitMs: 1_000 })
let page: Page
let workshopId: string
/** While true, what the page sends on its sync sockets is kept here instead of reaching the server. */
let holding = false
const held: { socket: WebSocketRoute; message: string | Buffer }[] = []

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  workshopId = workshop.id
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  await context.routeWebSocket(/\/sync\//, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((message) => {
      if (holding) held.push({ socket: server, message })
      else server.send(message)
    })
    server.onMessage((message) => ws.send(message))
  })
  page = await context.newPage()
  page.on('pageerror', (error) => console.error('page error:', error))
  const url = new URL(`${e2e.server.url}/w/${workshop.id}/actions`)
  url.searchParams.set('name', 'Dana Fischer')
  url.searchParams.set('token', facilitatorToken(workshop.id) ?? '')
  await page.goto(url.toString())
  await waitForBoard(page)
})

async function snapshots() {
  const list = SnapshotListSchema.parse(await (await workshopFetch(`${e2e.server.url}/api/workshops/${workshopId}/snapshots`)).json())
  return list.snapshots
}

describe('saving a snapshot right after an edit', () => {
  it('waits for the edit, and says so when it does not arrive', async () => {
    await page.getByRole('button', { name: 'Add action' }).click()
    await page.getByLabel('Title').fill('Business case for the CFO')
    await shapeWithText(page, 'action', 'Business case for the CFO').waitFor({ timeout: WAIT_MS })
    await page.keyboard.press('Escape')

    holding = true
    await clickShape(page, shapeWithText(page, 'action', 'Business case for the CFO'))
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Done' })
    await expect.poll(() => page.getByRole('combobox', { name: 'Status' }).inputValue(), { timeout: WAIT_MS }).toBe('done')

    await page.getByRole('button', { name: 'Save snapshot' }).click()
    const dialog = page.getByRole('dialog', { name: 'Save snapshot' })
    await dialog.getByLabel('Label (optional)').fill('After the review')
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await dialog.getByText(/Your latest edits on Action plan have not reached the server yet/).waitFor({ timeout: WAIT_MS })
    await dialog.getByRole('button', { name: 'Save without them' }).waitFor({ timeout: WAIT_MS })
    expect(await snapshots()).toHaveLength(0)

    // The frames go through, in order; Save again.
    holding = false
    for (const { socket, message } of held.splice(0)) socket.send(message)
    await dialog.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByRole('status').filter({ hasText: 'Snapshot saved' }).waitFor({ timeout: WAIT_MS })

    const [summary] = await snapshots()
    if (!summary) throw new Error('no snapshot stored')
    const record = PlanRecordSchema.parse(await (await workshopFetch(`${e2e.server.url}/api/workshops/${workshopId}/snapshots/${summary.id}`)).json())
    expect(record.label).toBe('After the review')
    expect(record.actions.map((a) => [a.title, a.status])).toEqual([['Business case for the CFO', 'done']])
  })
})
