/**
 * QA pass q29c: the "Restore this board" confirmation is a modal alert dialog, but Tab went on to
 * the page behind its backdrop, and Cancel or Esc left the focus on the page's body. It now keeps
 * the focus inside while open and gives it back to "Restore this board" when it closes.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { note } from '../helpers/planBoards.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

it('Tab stays in the restore dialog; Esc and Cancel give the focus back to its button', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'swot', 'Seeder')
  await board.write([note('shape:n1', { x: 100, y: 100 }, 'Strong brand')])
  board.destroy()
  expect((await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Kick-off"}' })).status).toBe(201)
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?board=swot&token=${workshop.tokens.facilitator}&name=Fiona`)
  const restore = page.getByRole('button', { name: 'Restore this board' })
  await restore.waitFor({ timeout: WAIT_MS })
  const dialog = page.getByRole('alertdialog')
  const inDialog = () => dialog.evaluate((element) => element.contains(document.activeElement))
  const onRestore = () => restore.evaluate((element) => element === document.activeElement)

  await restore.focus()
  await page.keyboard.press('Enter')
  await dialog.waitFor({ timeout: WAIT_MS })
  for (let i = 0; i < 5; i++) {
    await page.keyboard.press('Tab')
    expect(await inDialog()).toBe(true)
  }
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Shift+Tab')
  expect(await inDialog()).toBe(true)
  await page.keyboard.press('Escape')
  await dialog.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await onRestore()).toBe(true)

  await page.keyboard.press('Enter')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  await dialog.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await onRestore()).toBe(true)
  await context.close()
})
