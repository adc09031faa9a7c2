/**
 * The portfolio in real Chromium (issue 16, docs/accounts.md [K4], [K5], [K7]): with the
 * organisation key the lobby lists three accounts with tier and last workshop, filters them by
 * tier, places them in the selection matrix with the quadrants named and the one tier mismatch
 * flagged; the next workshop of an account, started from its last plan, shows the old notes.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { addNoteWithKeyboard, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { TEST_ORG_KEY, workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let page: Page

async function account(body: Record<string, unknown>): Promise<void> {
  const response = await fetch(`${e2e.server.url}/api/accounts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ORG_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  expect(response.status).toBe(201)
}

beforeAll(async () => {
  // Strategic tier but little attractiveness: the one tier mismatch.
  await account({ name: 'Atlas Freight', tier: 'strategic', criteria: { annualRevenue: 2, profitability: 2, growthPotential: 1, strategicImportance: 2, relativeStrength: 4 } })
  await account({ name: 'Borealis Energy', tier: 'strategic', segment: 'Utilities', criteria: { annualRevenue: 4, profitability: 4, growthPotential: 5, strategicImportance: 4, relativeStrength: 4 } })
  await account({ name: 'Cobalt Retail', tier: 'key', criteria: { annualRevenue: 4, profitability: 3, growthPotential: 4, strategicImportance: 3, relativeStrength: 2 } })
  const workshop = await e2e.server.createWorkshop({ account: 'Borealis Energy', title: 'Q1 planning', timeZone: 'Europe/Berlin' })
  const swot = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  await swot.write([noteIn('opportunities', 'shape:n-grid', 'Grid modernisation budget')])
  const snapshot = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Q1 close"}' })
  expect(snapshot.status).toBe(201)
  swot.destroy()

  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 1000 } })
  page = await context.newPage()
  page.on('pageerror', (error) => console.error('[portfolio] page error:', error))
  await page.goto(e2e.server.url)
  await page.getByLabel('Organisation key').fill(TEST_ORG_KEY)
  await page.getByRole('button', { name: 'Use this key' }).click()
})

describe('the portfolio', () => {
  it('lists every account with its tier and last workshop, and filters by tier', async () => {
    const rows = page.locator('.portfolio-table tbody tr')
    await rows.nth(2).waitFor({ timeout: WAIT_MS })
    expect(await rows.locator('th').allTextContents()).toEqual(['Atlas Freight', 'Borealis Energy · Utilities', 'Cobalt Retail'])
    const borealis = page.locator('.portfolio-table tr[data-account="Borealis Energy"]')
    expect(await borealis.locator('.tier').textContent()).toBe('Strategic')
    expect(await borealis.locator('.freshness').textContent()).toBe('today')
    expect(await page.locator('.portfolio-table tr[data-account="Atlas Freight"] time').count()).toBe(0)

    await page.getByLabel('Filter by tier').selectOption('strategic')
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(2)
    await page.getByLabel('Filter by tier').selectOption('all')
    await expect.poll(() => rows.count(), { timeout: WAIT_MS }).toBe(3)
  })

  it('places the accounts in the selection matrix, quadrants named, the tier mismatch flagged', async () => {
    const matrix = page.getByRole('figure', { name: 'Selection matrix' })
    expect(await matrix.locator('.matrix-quadrant').allTextContents()).toEqual(['Strategic', 'Develop', 'Maintain', 'Selective'])
    expect(await matrix.locator('.matrix-account').count()).toBe(3)
    expect(await matrix.locator('.matrix-mismatch').getAttribute('data-account')).toBe('Atlas Freight')
    expect(await matrix.getByRole('list', { name: 'Tier mismatches' }).textContent()).toContain('Atlas Freight: tier is strategic but the account scores low on attractiveness')
  })

  it('edits an account: scored, it takes its place in the matrix', async () => {
    const matrix = page.getByRole('figure', { name: 'Selection matrix' })
    await page.getByRole('button', { name: 'Edit Cobalt Retail' }).click()
    await page.getByLabel('Our relative strength', { exact: true }).selectOption('4')
    await page.getByRole('button', { name: 'Save account' }).click()
    // Attractive and now strong: the strategic quadrant, where a key tier is flagged.
    await matrix.locator('.matrix-mismatch[data-account="Cobalt Retail"]').waitFor({ timeout: WAIT_MS })
    expect(await matrix.getByRole('list', { name: 'Tier mismatches' }).textContent()).toContain('Cobalt Retail: tier is key but the account scores as strategic')
  })

  it('creates an account from the portfolio, with validation errors shown beside their field [K1][K11]', async () => {
    const form = page.getByRole('form', { name: 'New account' })
    const name = form.getByLabel('Account name')
    const error = form.locator('#new-account-name-error')
    await form.getByRole('button', { name: 'Create account' }).click()
    expect(await error.textContent()).toBe('name must not be empty')
    expect(await name.getAttribute('aria-invalid')).toBe('true')

    await name.fill('Delta\u0007Mining')
    await form.getByLabel('Segment').fill('Mining')
    await form.getByRole('button', { name: 'Create account' }).click()
    expect(await error.textContent()).toBe('name must not contain control characters')

    // Taken, ignoring case: the server's 409 lands beside the name too.
    await name.fill('borealis energy')
    await form.getByRole('button', { name: 'Create account' }).click()
    await error.waitFor({ timeout: WAIT_MS })
    expect(await error.textContent()).toMatch(/taken|exists/i)
    expect(await page.locator('.portfolio-table tbody tr').count()).toBe(3)

    await name.fill('Delta Mining')
    await form.getByLabel('Tier').selectOption('strategic')
    await form.getByRole('button', { name: 'Create account' }).click()
    const row = page.locator('.portfolio-table tr[data-account="Delta Mining"]')
    await row.waitFor({ timeout: WAIT_MS })
    expect(await row.locator('th').textContent()).toBe('Delta Mining · Mining')
    expect(await row.locator('.tier').textContent()).toBe('Strategic')
    expect(await name.inputValue()).toBe('')
    expect(await error.count()).toBe(0)
  })

  it('starts the next workshop of an account from its last plan: the old notes are on the board', async () => {
    await page.getByLabel('Next workshop for').selectOption({ label: 'Borealis Energy' })
    await page.getByLabel('Its title').fill('Q2 review')
    expect(await page.getByLabel('From the last plan').isChecked()).toBe(true)
    await page.getByRole('button', { name: 'Start the next workshop' }).click()
    await page.getByLabel('Your name').fill('Fiona Facilitator')
    await page.getByLabel('Your name').press('Enter')
    await waitForBoard(page)
    await shapeWithText(page, 'note', 'Grid modernisation budget').waitFor({ timeout: WAIT_MS })
    await page.locator('.workshop-heading-title', { hasText: 'Q2 review' }).waitFor({ timeout: WAIT_MS })
    // It keeps the account's last workshop's time zone, not the browser's (QA pass of 2026-12-06: UTC).
    const workshopId = /\/w\/([\w-]+)\//.exec(new URL(page.url()).pathname)?.[1] ?? ''
    const created = (await (await workshopFetch(`${e2e.server.url}/api/workshops/${workshopId}`, { headers: { authorization: `Bearer ${TEST_ORG_KEY}` } })).json()) as { timeZone?: string }
    expect(created.timeZone).toBe('Europe/Berlin')
  })

  it('in the review, folds unchanged automatic snapshots and shows in one click that nothing changed since the last workshop', async () => {
    const workshopId = /\/w\/([\w-]+)\//.exec(new URL(page.url()).pathname)?.[1] ?? ''
    // Two automatic snapshots with nothing changed between them: one timeline entry.
    await e2e.server.server.snapshots.take(workshopId, 'session_end', null)
    await e2e.server.server.snapshots.take(workshopId, 'periodic', null)
    await page.goto(`${e2e.server.url}/w/${workshopId}/snapshots`)
    await page.locator('.timeline-entry').first().waitFor({ timeout: WAIT_MS })
    await page.locator('.timeline-collapsed', { hasText: '+1 unchanged' }).waitFor({ timeout: WAIT_MS })
    expect(await page.locator('.timeline-entry').count()).toBe(1)

    await page.getByRole('button', { name: 'What changed since the last workshop' }).click()
    await page.locator('.change-summary', { hasText: 'No changes since the last workshop, Q1 planning' }).waitFor({ timeout: WAIT_MS })
  })

  it('compares any two versions of an account plan, across its workshops [K6]', async () => {
    const workshopId = /\/w\/([\w-]+)\//.exec(new URL(page.url()).pathname)?.[1] ?? ''
    // A workshop made in the page: its token is the page's, so the note is written there too.
    await page.goto(`${e2e.server.url}/w/${workshopId}/swot`)
    await waitForBoard(page)
    await addNoteWithKeyboard(page, 0.5, 0.9, 'Rate review by the regulator')
    // Once the server has the note (the page shows it first), the snapshot holds it.
    await expect.poll(async () => JSON.stringify((await e2e.server.server.snapshots.take(workshopId, 'manual', null)).swot), { timeout: WAIT_MS }).toContain('Rate review by the regulator')
    await e2e.server.server.snapshots.take(workshopId, 'manual', 'Q2 close')

    await page.goto(e2e.server.url)
    const compare = page.getByRole('region', { name: 'Compare two versions of a plan' })
    await compare.getByLabel('Account to compare').selectOption({ label: 'Borealis Energy' }, { timeout: WAIT_MS })
    // The newest version against the previous workshop's, picked in either order.
    const q1 = await compare.locator('option', { hasText: 'Q1 planning · Q1 close' }).first().getAttribute('value', { timeout: WAIT_MS })
    const q2 = await compare.locator('option', { hasText: 'Q2 review · Q2 close' }).first().getAttribute('value', { timeout: WAIT_MS })
    await compare.getByLabel('First version').selectOption(q1 ?? '')
    await compare.getByLabel('Second version').selectOption(q2 ?? '')
    const threats = compare.getByTestId('account-diff').getByRole('region', { name: 'SWOT' })
    await threats.locator('li.is-added', { hasText: 'Rate review by the regulator' }).waitFor({ timeout: WAIT_MS })
    expect(await threats.locator('li.is-added').count()).toBe(1)
    expect(await threats.locator('li.is-removed').count()).toBe(0)
  })
})
