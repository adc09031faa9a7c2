/**
 * QA q36b in the page: a stakeholder card just added read "Medium influence" and "Neutral", as if the
 * team had judged the person so. Now it says "Influence not assessed" and "Attitude not assessed",
 * the side panel offers "Not assessed" in both, and choosing a level and going back works.
 */
import { expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it('a new stakeholder card reads "not assessed" until the team picks a level, and can go back to it', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const [tina] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders?token=${workshop.tokens.team}`, ['Tina Team'])
  if (!tina) throw new Error('no page')
  const page = tina.page
  await waitForBoard(page)
  await exposeEditor(page)
  await page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add stakeholder' }).click()
  const card = page.locator('.kp-stakeholder').first()
  await card.waitFor({ timeout: WAIT_MS })
  await expect.poll(() => card.textContent(), { timeout: WAIT_MS }).toContain('Influence not assessed')
  expect(await card.textContent()).toContain('Attitude not assessed')
  expect(await card.textContent()).not.toMatch(/Medium|Neutral/)
  const panel = sidePanel(page)
  const influence = panel.getByLabel('Influence')
  expect(await influence.evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Not assessed')
  expect(await panel.getByLabel('Attitude to us').evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe('Not assessed')

  await influence.selectOption({ label: 'High' })
  await expect.poll(() => card.textContent(), { timeout: WAIT_MS }).toContain('High influence')
  await influence.selectOption({ label: 'Not assessed' })
  await expect.poll(() => card.textContent(), { timeout: WAIT_MS }).toContain('Influence not assessed')
  // Stored as not assessed: a reload reads it so.
  await page.reload()
  await waitForBoard(page)
  await expect.poll(() => page.locator('.kp-stakeholder').first().textContent(), { timeout: WAIT_MS }).toContain('Influence not assessed')
  await tina.context.close()
})
