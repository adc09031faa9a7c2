/**
 * Issue 15 in Chromium: a team member fills an objective, links an action to it and values an open
 * opportunity on the whitespace board, each in the side panel; the other person's live health
 * panel drops each gap as it is filled, and each item links to the board and card it concerns
 * (docs/plan-health.md).
 */
import { describe, expect, it } from 'vitest'
import { sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('objectives')

const healthItem = (page: Parameters<typeof sidePanel>[0], text: string) =>
  sidePanel(page).getByRole('list', { name: 'Missing from the plan' }).getByText(text, { exact: false })

describe('the health panel follows another person’s objectives, actions and whitespace', () => {
  it('drops "no objectives", then the objective’s missing action, then the missing opportunity', async () => {
    const { alice, bob } = two
    await healthItem(bob.page, 'No objectives yet').waitFor({ timeout: WAIT_MS })
    await healthItem(bob.page, 'No open opportunity with an estimated value').waitFor({ timeout: WAIT_MS })

    const page = alice.page
    await page.getByRole('button', { name: 'Add objective' }).click()
    await sidePanel(page).getByRole('textbox', { name: 'Objective', exact: true }).fill('Grow tracking revenue')
    await sidePanel(page).getByLabel('Measure').fill('Annual revenue')
    await sidePanel(page).getByRole('textbox', { name: /^Baseline Internal/ }).fill('1000000')
    await sidePanel(page).getByRole('textbox', { name: /^Target Internal/ }).fill('1400000')
    await sidePanel(page).getByLabel('Target date').fill('2027-06-30')
    await sidePanel(page).getByLabel('Owner').fill('Alice Archer')
    await healthItem(bob.page, 'Objective "Grow tracking revenue" has no action').waitFor({ timeout: WAIT_MS })

    await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
    await waitForBoard(page)
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill('Pilot with operations')
    await sidePanel(page).getByRole('checkbox', { name: 'Grow tracking revenue' }).check({ timeout: WAIT_MS })
    await healthItem(bob.page, 'Objective "Grow tracking revenue" has no action').waitFor({ state: 'detached', timeout: WAIT_MS })

    await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Whitespace & competitors' }).click()
    await waitForBoard(page)
    await page.getByRole('button', { name: 'Add cell' }).click()
    await sidePanel(page).getByRole('textbox', { name: /^Estimated value Internal/ }).fill('250000')
    await healthItem(bob.page, 'No open opportunity with an estimated value').waitFor({ state: 'detached', timeout: WAIT_MS })
  })

  it('an item opens the board and selects the card it concerns, from another board', async () => {
    const { bob } = two
    expect(new URL(bob.page.url()).pathname).toMatch(/\/objectives$/)
    await healthItem(bob.page, 'Action "Pilot with operations" has no').click()
    await bob.page.waitForURL(/\/actions(\?|$)/, { timeout: WAIT_MS })
    await waitForBoard(bob.page)
    const title = sidePanel(bob.page).getByLabel('Title')
    await waitUntil(async () => (await title.count()) === 1 && (await title.inputValue()) === 'Pilot with operations', 'the linked action selected in the side panel')
  })
})
