/**
 * The whitespace board's currency in Chromium (QA q33b 9: its amounts were bare numbers): the
 * facilitator picks it in the board's toolbar; every amount on the board's cards then reads with
 * it, on their page and on a team member's, whose toolbar says "Amounts in EUR" and offers no
 * choice (the board's structure is the facilitator's, [R4]); the side panel's amount field says it
 * too. Back to "no currency set", the amounts are bare again.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openPeople, saveSnapshotInPage, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()
let fran: Page
let tom: Page
let snapshotsUrl: string

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const board = `${e2e.server.url}/w/${workshop.id}/whitespace`
  snapshotsUrl = `${e2e.server.url}/w/${workshop.id}/snapshots?board=whitespace`
  const [facilitator] = await openPeople(e2e.browser, board, ['Fran Facilitator'])
  const [team] = await openPeople(e2e.browser, `${board}?token=${encodeURIComponent(workshop.tokens.team)}`, ['Tom Team'])
  if (!facilitator || !team) throw new Error('openPeople opened fewer people than asked')
  fran = facilitator.page
  tom = team.page
  await Promise.all([waitForBoard(fran), waitForBoard(tom)])
})

const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Board tools' })
const currencyChoice = (page: Page) => toolbar(page).getByRole('combobox', { name: 'Currency of the amounts on this board' })

describe("the whitespace board's currency", () => {
  it('is picked by the facilitator and read with every amount on both pages', async () => {
    await toolbar(fran).getByRole('button', { name: 'Add cell' }).click()
    await sidePanel(fran).getByRole('combobox', { name: /^Kind/ }).selectOption({ label: 'We supply' })
    await sidePanel(fran).getByRole('textbox', { name: /^Our revenue/ }).fill('300000')
    await shapeWithText(tom, 'whitespace', '300,000').waitFor({ timeout: WAIT_MS })
    expect(await toolbar(tom).getByText(/^Amounts in/).count()).toBe(0)

    await currencyChoice(fran).selectOption('EUR')
    await shapeWithText(fran, 'whitespace', '300,000 EUR').waitFor({ timeout: WAIT_MS })
    await sidePanel(fran).getByRole('textbox', { name: /^Our revenue \(EUR\)/ }).waitFor({ timeout: WAIT_MS })
    await shapeWithText(tom, 'whitespace', '300,000 EUR').waitFor({ timeout: WAIT_MS })
    await toolbar(tom).getByText('Amounts in EUR').waitFor({ timeout: WAIT_MS })
    expect(await currencyChoice(tom).count()).toBe(0)

    await currencyChoice(fran).selectOption('')
    await toolbar(tom).getByText('Amounts in EUR').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await tom.locator('.tl-shape[data-shape-type="whitespace"]').innerText()).not.toContain('EUR')
  })

  it('changed between two snapshots, is a change in the review: the heading and every amount say so', async () => {
    await currencyChoice(fran).selectOption('EUR')
    await shapeWithText(fran, 'whitespace', '300,000 EUR').waitFor({ timeout: WAIT_MS })
    await saveSnapshotInPage(fran, 'In euros')
    await currencyChoice(fran).selectOption('USD')
    await shapeWithText(fran, 'whitespace', '300,000 USD').waitFor({ timeout: WAIT_MS })
    await saveSnapshotInPage(fran, 'In dollars')

    await fran.goto(snapshotsUrl)
    await fran.getByTestId('change-summary').filter({ hasText: 'since In euros' }).filter({ hasText: '1 changed' }).waitFor({ timeout: WAIT_MS })
    const section = fran.locator('section[aria-labelledby="plan-whitespace-heading"]')
    await section.locator('.currency-change').filter({ hasText: 'Currency' }).waitFor({ timeout: WAIT_MS })
    expect(await section.locator('.currency-change del').innerText()).toBe('EUR')
    expect(await section.locator('.currency-change ins').innerText()).toBe('USD')
    const amount = section.locator('tr.plan-row .number-cell .change').first()
    expect(await amount.locator('del').innerText()).toBe('300,000 EUR')
    expect(await amount.locator('ins').innerText()).toBe('300,000 USD')
  })
})
