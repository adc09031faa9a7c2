/**
 * QA pass q29d: a first-time user clicked "Add action" with the mouse and typed the title. The
 * focus stayed on the button: the letters ran the canvas's shortcuts and the space pressed the
 * button again, so the board got an "Untitled action" and an action called "QBR deck". A card added
 * by a click now opens with the focus in its first field, as one added from the keyboard does;
 * "Add sticky note" clicked hands the keys to the canvas, not to the button.
 */
import { expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it('a click on "Add action" then typing names the one new card', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  const { page, context } = tom
  await waitForBoard(page)
  await exposeEditor(page)
  const actions = () => page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'action').map((shape) => (shape.props as { title: string }).title))
  const before = (await actions()).length
  await page.getByRole('button', { name: 'Add action' }).click()
  await page.keyboard.type('Draft QBR deck')
  await expect.poll(actions).toContain('Draft QBR deck')
  expect((await actions()).length).toBe(before + 1)

  // On the SWOT: the note tool is chosen, and the keys go to the canvas, not to the button.
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`)
  await waitForBoard(page)
  await exposeEditor(page)
  await page.getByRole('button', { name: 'Add sticky note' }).click()
  expect(await page.evaluate(() => document.activeElement?.closest('.tl-container') !== null)).toBe(true)
  // QA q32b: and the page says what the next click does; placed, the note ends it.
  const hint = page.getByRole('status').filter({ hasText: 'Click on the board where the note goes (Esc cancels).' })
  await hint.waitFor({ timeout: WAIT_MS })
  await page.screenshot({ path: '/tmp/hint.png' })
  const notes = () => page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'note').length)
  const box = await page.locator('.tl-canvas').boundingBox()
  if (!box) throw new Error('no canvas')
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3)
  await expect.poll(notes).toBe(1)
  await hint.waitFor({ state: 'detached', timeout: WAIT_MS })
  await context.close()
})
