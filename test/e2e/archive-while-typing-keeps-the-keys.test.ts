/**
 * The facilitator archives the workshop while a team member types in a card's side panel (QA pass
 * of 2026-12-06): the field turns read-only and drops the focus, and the keys typed next reached the
 * canvas as shortcuts, with no word of why. A notice in the panel now says why and takes the focus,
 * so the keys typed next stay there; Esc gives the focus back to the canvas.
 */
import { expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it('says the board turned read-only, and keeps the keys typed next from the canvas', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Archived mid-sentence' })
  const [tina] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.team}`, ['Tina Team'])
  if (!tina) throw new Error('no page')
  const page = tina.page
  await waitForBoard(page)
  await exposeEditor(page)
  const add = page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add stakeholder' })
  await add.focus()
  await page.keyboard.press('Enter')
  const name = sidePanel(page).getByLabel('Name', { exact: true })
  await expect.poll(() => name.evaluate((element) => element === document.activeElement), { timeout: WAIT_MS }).toBe(true)
  await page.keyboard.type('Typed before archive')

  const archived = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ archived: true }),
  })
  expect(archived.status).toBe(200)
  const notice = sidePanel(page).getByRole('status').filter({ hasText: 'This board is read-only now' })
  await notice.waitFor({ timeout: WAIT_MS })
  await expect.poll(() => notice.evaluate((element) => element === document.activeElement), { timeout: WAIT_MS }).toBe(true)
  // "d" is tldraw's draw tool, "l" its line tool: typed here, they change nothing.
  await page.keyboard.type('dl and after')
  expect(await page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
  await page.keyboard.press('Escape')
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
  await tina.context.close()
})
