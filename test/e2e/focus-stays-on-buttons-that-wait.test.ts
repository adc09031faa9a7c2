/**
 * QA pass q29c: a keyboard user's focus dropped to the page's body after pressing a button that
 * waits for the server (a snapshot export, a board switch in the Share panel, Rename): the button
 * was disabled while it waited, and a disabled element loses the focus. Such buttons now say they
 * are busy (aria-disabled) and keep the focus.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { note } from '../helpers/planBoards.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('keeps the focus on an export button, a Share switch and Rename while they wait and after', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'swot', 'Seeder')
  await board.write([note('shape:n1', { x: 100, y: 100 }, 'Strong brand')])
  board.destroy()
  expect((await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Kick-off"}' })).status).toBe(201)
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true })
  const page = await context.newPage()
  const focused = () => page.evaluate(() => `${document.activeElement?.tagName}:${document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent?.trim() ?? ''}`)

  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?token=${workshop.tokens.facilitator}&name=Fiona`)
  const markdown = page.getByRole('button', { name: 'Markdown' })
  await markdown.waitFor({ timeout: WAIT_MS })
  await markdown.focus()
  await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')])
  expect(await focused()).toBe('BUTTON:Markdown')

  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.facilitator}&name=Fiona`)
  await waitForBoard(page)
  await page.getByRole('button', { name: 'Share', exact: true }).click()
  const dialog = page.getByRole('dialog', { name: 'Share this workshop' })
  const actions = dialog.getByRole('switch', { name: 'Action plan' })
  await actions.focus()
  const before = await actions.isChecked()
  await page.keyboard.press('Space')
  await expect.poll(() => actions.getAttribute('aria-disabled'), { timeout: WAIT_MS }).toBeNull()
  expect(await actions.isChecked()).toBe(!before)
  expect(await page.evaluate(() => document.activeElement?.getAttribute('role'))).toBe('switch')

  const title = dialog.locator('input[name="title"]')
  await title.fill('FY27 account plan, revised')
  const rename = dialog.getByRole('button', { name: 'Rename' })
  await rename.focus()
  await page.keyboard.press('Enter')
  await expect.poll(() => rename.getAttribute('aria-disabled'), { timeout: WAIT_MS }).toBe('true')
  expect(await focused()).toBe('BUTTON:Rename')
  await context.close()
})
