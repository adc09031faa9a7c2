/**
 * "Bring everyone here" reaching someone who is typing in a side-panel field, in Chromium (QA pass
 * of 2026-12-06): their page moves to the facilitator's board with a notice that has the focus, so
 * the keys they go on typing are the notice's, not that board's tool shortcuts. Before, "rown" typed
 * after the move picked the sticky-note tool ("n"), and the next click put a stray note on the
 * board for everyone.
 */
import { expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it('moves the typist with a notice that takes the keys they go on typing', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const url = (board: string, token?: string) => `${e2e.server.url}/w/${workshop.id}/${board}${token ? `?token=${token}` : ''}`
  const [fran] = await openPeople(e2e.browser, url('objectives'), ['Fran Facilitator'])
  const [tom] = await openPeople(e2e.browser, url('actions', workshop.tokens.team), ['Tom Team'])
  if (!fran || !tom) throw new Error('openPeople returned nobody')
  await Promise.all([waitForBoard(fran.page), waitForBoard(tom.page)])

  await tom.page.getByRole('button', { name: 'Add action' }).click()
  const owner = sidePanel(tom.page).getByLabel('Owner')
  await owner.click()
  await tom.page.keyboard.type('Ann B')

  await sidePanel(fran.page).getByRole('button', { name: /Bring everyone/ }).click()
  await tom.page.waitForURL((address) => address.pathname.endsWith('/objectives'), { timeout: WAIT_MS })
  const notice = tom.page.getByRole('alert').filter({ hasText: 'Fran Facilitator brought everyone to Objectives & KPIs while you were typing.' })
  await notice.waitFor({ timeout: WAIT_MS })
  await waitForBoard(tom.page)
  expect(await notice.evaluate((element) => element.contains(document.activeElement))).toBe(true)

  await tom.page.keyboard.type('rown')
  await exposeEditor(tom.page)
  expect(await tom.page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  await tom.page.keyboard.press('Escape')
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
})
