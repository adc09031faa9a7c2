/**
 * Following from the keyboard, in Chromium (QA q36c, finding 4): Enter on "Follow …" and then the
 * leader opening another board carried the page there with the focus on the page itself, the next
 * Tab about 25 stops from "Stop following". The new board's side panel now takes the focus back to
 * "Stop following".
 */
import { expect, it } from 'vitest'
import { sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpFacilitatorAndColleague } from '../helpers/browserTest.ts'

const e2e = setUpFacilitatorAndColleague()

it('keeps the focus on Stop following when following carries the page to another board', async () => {
  const { fran, tom } = e2e
  await sidePanel(tom.page).getByRole('button', { name: 'Follow Fran Facilitator' }).focus()
  await tom.page.keyboard.press('Enter')
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  const onStopFollowing = () => tom.page.evaluate(() => document.activeElement?.textContent?.trim() === 'Stop following' && document.activeElement.closest('#side-panel') !== null)
  await expect.poll(onStopFollowing, { timeout: WAIT_MS }).toBe(true)

  await fran.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Objectives & KPIs' }).click()
  await tom.page.waitForURL((url) => url.pathname.endsWith('/objectives'), { timeout: WAIT_MS })
  await expect.poll(onStopFollowing, { timeout: WAIT_MS }).toBe(true)
  // Enter there stops following, as the person expects of the button they were on.
  await tom.page.keyboard.press('Enter')
  await sidePanel(tom.page).getByRole('button', { name: 'Follow Fran Facilitator' }).waitFor({ timeout: WAIT_MS })
})
