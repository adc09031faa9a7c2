/**
 * QA pass q33b (finding 3), in real Chromium against the real server and built client: an
 * objective's Unit changed from EUR to USD and its baseline down a cent. The review page read
 * "~~12,500,000.50 USD~~ → 12,500,000.49 USD" (a one-cent fix), the target (the same number, now
 * in another currency) as no change, and the Unit change nowhere; the portfolio's comparison gave
 * amounts no unit. A diff value reads like its row, each side in the unit it had
 * (docs/plan-extraction.md).
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { objective } from '../helpers/planBoards.ts'
import { takeSnapshot, TEST_ORG_KEY, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let objectives: BoardClient
let page: Page

/** Saves a snapshot named `label` as the facilitator. */
const snapshot = (label: string) => takeSnapshot(e2e.server, workshop.id, label)

const grow = (unit: string, baseline: number) =>
  objective('shape:o1', { x: 40, y: 60 }, { objective: 'Grow Freight revenue', unit, baseline, target: 15_000_000 })

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 finance review' })
  objectives = await openBoard(e2e.server, workshop.id, 'objectives', 'Ada')
  await objectives.write([grow('EUR', 12_500_000.5)])
  await snapshot('Shared')
  await objectives.write([grow('USD', 12_500_000.49)])
  await snapshot('Edited')

  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots?board=objectives`, ['Dana'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
})

afterAll(() => {
  objectives.destroy()
})

describe('a changed unit is never hidden in a diff', () => {
  it('the review reads "12,500,000.50 EUR → 12,500,000.49 USD", the target as changed, and the Unit change', async () => {
    const row = page.getByRole('table', { name: 'Objectives' }).getByRole('row', { name: /Grow Freight revenue/ })
    await row.waitFor({ timeout: WAIT_MS })
    expect(await row.locator('.kpi-cell .change del').allTextContents()).toEqual(['12,500,000.50 EUR', '15,000,000 EUR'])
    expect(await row.locator('.kpi-cell .change ins').allTextContents()).toEqual(['12,500,000.49 USD', '15,000,000 USD'])
    expect(await row.locator('.other-changes li').allTextContents()).toEqual(['Unit: EUR→USD'])
  })

  it("the portfolio's comparison gives the amounts their units", async () => {
    await page.goto(e2e.server.url)
    await page.getByLabel('Organisation key').fill(TEST_ORG_KEY)
    await page.getByRole('button', { name: 'Use this key' }).click()
    const compare = page.getByRole('region', { name: 'Compare two versions of a plan' })
    await compare.getByLabel('Account to compare').selectOption({ label: 'Northwind Logistics' }, { timeout: WAIT_MS })
    const changed = compare.getByTestId('account-diff').getByRole('region', { name: 'Objectives' }).locator('li.is-changed')
    await changed.waitFor({ timeout: WAIT_MS })
    expect(await changed.locator('.account-diff-field').allTextContents()).toEqual([
      'Unit EUR → USD ',
      'Baseline 12,500,000.50 EUR → 12,500,000.49 USD ',
      'Target 15,000,000 EUR → 15,000,000 USD ',
    ])
  })
})
