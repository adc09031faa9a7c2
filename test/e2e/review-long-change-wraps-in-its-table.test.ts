/**
 * QA pass q29b: a stakeholder's notes changed to a long text between two snapshots, and the review
 * page's Stakeholders table grew to thousands of pixels inside its pane: the changed value was one
 * unbroken line (its line breaks flattened), so Job title, Influence and the rest could only be
 * reached by scrolling sideways. A changed value now wraps, keeping its line breaks.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('a long changed value wraps inside the table, which stays within its pane', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  const snapshot = async (label: string) => {
    const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ label }) })
    expect(response.status).toBe(201)
  }
  await board.write([stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Weber', jobTitle: 'CFO', notes: 'Short note' })])
  await snapshot('Before')
  const long = `${'Prefers a written summary before every steering committee, and '.repeat(20)}\nSecond line`
  await board.write([stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Weber', jobTitle: 'CFO', notes: long })])
  await snapshot('After')
  board.destroy()

  const context = await e2e.browser.newContext({ viewport: { width: 1500, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?board=stakeholders&token=${workshop.tokens.facilitator}&name=Fiona`)
  const table = page.getByRole('table', { name: 'Stakeholders' })
  const changed = table.locator('.change-after').filter({ hasText: 'Second line' })
  await changed.waitFor({ timeout: WAIT_MS })
  const widths = await table.evaluate((element) => ({ table: element.getBoundingClientRect().width, pane: (element.parentElement as HTMLElement).clientWidth }))
  expect(widths.table).toBeLessThanOrEqual(widths.pane + 1)
  // Its line break kept: "Second line" starts a line of its own.
  expect(await changed.evaluate((element) => getComputedStyle(element).whiteSpace)).toBe('pre-wrap')
  await context.close()
})
