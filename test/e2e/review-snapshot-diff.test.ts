/**
 * The review page after a workshop, in real Chromium against the real server and built client:
 * notes put into SWOT quadrants, stakeholders and actions created through the board UI, a
 * snapshot saved with the header's button, then the review page shows them in the structured
 * plan beside the read-only board. An attitude and a status changed in the inspector and a second
 * snapshot show up as a diff (neutral → supporter, open → done). Restoring a board to the first
 * snapshot takes a safety snapshot and reaches the live board.
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { localToday } from '../../client/board/localDate.ts'
import { clickShape, openPeople, saveSnapshotInPage, shapeWithText, waitForBoard, waitForTextEditing, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

// The production grace (5 s): with the tests' 100 ms, a board switch on a loaded machine could leave the
// workshop without connections long enough for a session-end snapshot ([S17]) before the first manual one.
const e2e = setUpBrowserTest({ roomUnloadGraceMs: 5_000 })
let page: Page
let workshopUrl: string

const NOTES = [
  ['strengths', 'Trusted by their ops team since 2019'],
  ['weaknesses', 'Pricing 12% above the incumbent'],
  ['opportunities', 'New Nordic hub opening Q3'],
  ['threats', 'Budget freeze risk after Q2 results'],
] as const

/** `YYYY-MM-DD`, `days` from today in the browser's (and this process's) time zone. */
function dayFromToday(days: number): string {
  const date = new Date()
  date.setDate(date.getDate() + days)
  return localToday(date)
}

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  workshopUrl = `${e2e.server.url}/w/${workshop.id}`
  const [dana] = await openPeople(e2e.browser, `${workshopUrl}/swot`, ['Dana Fischer'], { width: 1600, height: 1000 })
  if (!dana) throw new Error('openPeople returned no page')
  page = dana.page
  await waitForBoard(page)
})

async function openBoard(title: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: title }).click()
  await waitForBoard(page)
}

/** Puts a sticky note with `text` into a quadrant frame of the SWOT template, with the note tool. */
async function addNote(quadrant: string, text: string): Promise<void> {
  const frame = page.locator(`.tl-shape[data-shape-id="shape:swot-${quadrant}"]`)
  const box = await frame.boundingBox()
  if (!box) throw new Error(`The ${quadrant} quadrant is not visible`)
  await page.getByRole('button', { name: 'Add sticky note' }).click()
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.45)
  await waitForTextEditing(page)
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await shapeWithText(page, 'note', text).waitFor({ timeout: WAIT_MS })
}

async function addStakeholder(fields: { name: string; jobTitle: string; department: string; role: string; influence: string; attitude: string }) {
  await page.getByRole('button', { name: 'Add stakeholder' }).click()
  await page.getByLabel('Name', { exact: true }).fill(fields.name)
  await page.getByLabel('Job title').fill(fields.jobTitle)
  await page.getByLabel('Department').fill(fields.department)
  await page.getByLabel('Buying role').selectOption({ label: fields.role })
  await page.getByLabel('Influence').selectOption({ label: fields.influence })
  await page.getByLabel('Attitude to us').selectOption({ label: fields.attitude })
  await page.getByLabel('Relationship owner').fill('Dana Fischer')
  await shapeWithText(page, 'stakeholder', fields.name).waitFor({ timeout: WAIT_MS })
}

async function addAction(title: string, due: string) {
  await page.getByRole('button', { name: 'Add action' }).click()
  await page.getByLabel('Title').fill(title)
  await page.getByLabel('Owner').fill('Dana Fischer')
  await page.getByLabel('Due date').fill(due)
  await shapeWithText(page, 'action', title).waitFor({ timeout: WAIT_MS })
}

async function openReview(): Promise<void> {
  await page.getByRole('link', { name: 'Snapshots' }).click()
  await page.getByRole('list', { name: 'Snapshots' }).waitFor({ timeout: WAIT_MS })
}

async function openReviewTab(title: string): Promise<void> {
  await page.getByRole('tab', { name: title }).click()
  await page.locator(`.snapshot-canvas[data-readonly="true"]`).waitFor({ timeout: WAIT_MS })
}

describe('reviewing snapshots of a workshop', () => {
  it('shows SWOT notes, stakeholders and actions of a snapshot saved from the workshop header', async () => {
    for (const [quadrant, text] of NOTES) await addNote(quadrant, text)

    await openBoard('Stakeholder map')
    await addStakeholder({ name: 'Maria Chen', jobTitle: 'CFO', department: 'Finance', role: 'Economic buyer', influence: 'High', attitude: 'Neutral' })
    await addStakeholder({ name: 'Felix Romano', jobTitle: 'CIO', department: 'IT', role: 'Technical buyer', influence: 'Medium', attitude: 'Skeptic' })

    await openBoard('Action plan')
    await addAction('Business case for the CFO', dayFromToday(14))
    await addAction('Security questionnaire for IT', dayFromToday(-3))

    await saveSnapshotInPage(page, 'Kick-off')
    await openReview()
    await page.locator('.timeline-entry.is-selected', { hasText: 'Kick-off' }).waitFor({ timeout: WAIT_MS })
    await page.getByText('The first snapshot of this workshop').waitFor({ timeout: WAIT_MS })

    // SWOT: each note in its quadrant's list, and on the read-only board as it was.
    await openReviewTab('SWOT')
    for (const [quadrant, text] of NOTES) {
      await page.locator(`.swot-quadrant[data-quadrant="${quadrant}"]`, { hasText: text }).waitFor({ timeout: WAIT_MS })
      await page.locator('.snapshot-canvas .tl-shape[data-shape-type="note"]', { hasText: text }).waitFor({ timeout: WAIT_MS })
    }

    await openReviewTab('Stakeholder map')
    const maria = page.getByRole('table', { name: 'Stakeholders' }).getByRole('row', { name: /Maria Chen/ })
    for (const cell of ['CFO', 'Finance', 'Economic buyer', 'High', 'Neutral', 'Dana Fischer']) {
      await maria.getByRole('cell', { name: cell, exact: true }).waitFor({ timeout: WAIT_MS })
    }
    await page.locator('.snapshot-canvas .tl-shape[data-shape-type="stakeholder"]', { hasText: 'Felix Romano' }).waitFor({ timeout: WAIT_MS })

    await openReviewTab('Action plan')
    const actions = page.getByRole('table', { name: 'Actions' })
    await actions.getByRole('row', { name: /Business case for the CFO/ }).getByText('Open').waitFor({ timeout: WAIT_MS })
    const overdue = actions.getByRole('row', { name: /Security questionnaire for IT/ })
    await overdue.getByText('Overdue').waitFor({ timeout: WAIT_MS })
    expect(await overdue.getAttribute('class')).toContain('is-overdue')
  })

  it('shows an attitude and a status changed on the live boards as a diff with the previous snapshot', async () => {
    await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Stakeholder map' }).click()
    await waitForBoard(page)
    // New cards cascade, so Felix's card covers the middle of Maria's: click her card's corner.
    const mariaCard = await shapeWithText(page, 'stakeholder', 'Maria Chen').boundingBox()
    if (!mariaCard) throw new Error('Maria Chen’s card is not visible')
    await page.mouse.click(mariaCard.x + 12, mariaCard.y + 12)
    await expect.poll(() => page.getByLabel('Name', { exact: true }).inputValue(), { timeout: WAIT_MS }).toBe('Maria Chen')
    await page.getByLabel('Attitude to us').selectOption({ label: 'Supporter' })
    await shapeWithText(page, 'stakeholder', 'Maria Chen').filter({ hasText: 'Supporter' }).waitFor({ timeout: WAIT_MS })

    await openBoard('Action plan')
    await clickShape(page, shapeWithText(page, 'action', 'Business case for the CFO'))
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Done' })
    await expect.poll(() => page.getByRole('combobox', { name: 'Status' }).inputValue(), { timeout: WAIT_MS }).toBe('done')

    await saveSnapshotInPage(page, 'After the review')
    await openReview()
    await page.locator('.timeline-entry.is-selected', { hasText: 'After the review' }).waitFor({ timeout: WAIT_MS })
    // On a busy machine the server may have taken a session-end snapshot in between (the boards'
    // connections closed as the page went to the review): compare with Kick-off by name.
    await page.locator('.compare-scope').waitFor({ timeout: WAIT_MS })
    const compareWith = page.getByLabel('Compare with')
    if ((await compareWith.count()) > 0) {
      const kickOff = await compareWith.locator('option', { hasText: 'Kick-off' }).getAttribute('value')
      await compareWith.selectOption(kickOff ?? '')
    }
    const summary = page.getByTestId('change-summary')
    await summary.filter({ hasText: 'Kick-off' }).filter({ hasText: '2 changed' }).waitFor({ timeout: WAIT_MS })

    await openReviewTab('Stakeholder map')
    const maria = page.getByRole('table', { name: 'Stakeholders' }).getByRole('row', { name: /Maria Chen/ })
    const attitude = maria.locator('.change')
    await attitude.waitFor({ timeout: WAIT_MS })
    expect(await attitude.locator('del').textContent()).toBe('Neutral')
    expect(await attitude.locator('ins').textContent()).toBe('Supporter')
    expect(await maria.getAttribute('class')).toContain('is-changed')
    // Felix did not change: no highlight on his row.
    const felix = page.getByRole('table', { name: 'Stakeholders' }).getByRole('row', { name: /Felix Romano/ })
    expect(await felix.locator('.change').count()).toBe(0)

    await openReviewTab('Action plan')
    const action = page.getByRole('table', { name: 'Actions' }).getByRole('row', { name: /Business case for the CFO/ })
    const status = action.locator('.change')
    await status.waitFor({ timeout: WAIT_MS })
    expect(await status.locator('del').textContent()).toBe('Open')
    expect(await status.locator('ins').textContent()).toBe('Done')
  })

  it('exports the snapshot as Markdown with the changed plan', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Markdown' }).click()])
    const file = await download.path()
    const markdown = fs.readFileSync(file, 'utf8')
    expect(download.suggestedFilename()).toMatch(/^northwind-logistics-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.md$/)
    expect(markdown).toContain('Maria Chen')
    expect(markdown).toContain('Supporter')
    expect(markdown).toContain('Trusted by their ops team since 2019')
  })

  it('restores the stakeholder map to the first snapshot, after a confirmation and a safety snapshot', async () => {
    await page.locator('.timeline-entry', { hasText: 'Kick-off' }).click()
    await page.locator('.timeline-entry.is-selected', { hasText: 'Kick-off' }).waitFor({ timeout: WAIT_MS })
    await openReviewTab('Stakeholder map')
    await page.getByRole('button', { name: 'Restore this board' }).click()
    const dialog = page.getByRole('alertdialog', { name: 'Restore the Stakeholder map board?' })
    await dialog.getByRole('button', { name: 'Restore Stakeholder map' }).click()
    await page.getByRole('status').filter({ hasText: 'Stakeholder map restored' }).waitFor({ timeout: WAIT_MS })
    await page.locator('.timeline-entry', { hasText: 'Before restoring the Stakeholder map board' }).waitFor({ timeout: WAIT_MS })

    await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Stakeholder map' }).click()
    await waitForBoard(page)
    await shapeWithText(page, 'stakeholder', 'Maria Chen').filter({ hasText: 'Neutral' }).waitFor({ timeout: WAIT_MS })
  })

  it('compares any two snapshots: one picked in the timeline, any older one chosen to compare with', async () => {
    await openReview()
    await page.locator('.timeline-entry', { hasText: 'Before restoring the Stakeholder map board' }).click()
    await page.locator('.timeline-entry.is-selected', { hasText: 'Before restoring' }).waitFor({ timeout: WAIT_MS })
    const kickOff = await page.locator('.compare-with option', { hasText: 'Kick-off' }).getAttribute('value')
    await page.getByLabel('Compare with').selectOption(kickOff ?? '')
    await page.getByTestId('change-summary').filter({ hasText: 'since Kick-off' }).filter({ hasText: '2 changed' }).waitFor({ timeout: WAIT_MS })
    expect(new URL(page.url()).searchParams.get('against')).toBe(kickOff)

    await openReviewTab('Stakeholder map')
    const attitude = page.getByRole('table', { name: 'Stakeholders' }).getByRole('row', { name: /Maria Chen/ }).locator('.change')
    await attitude.waitFor({ timeout: WAIT_MS })
    expect(await attitude.locator('del').textContent()).toBe('Neutral')
    expect(await attitude.locator('ins').textContent()).toBe('Supporter')
    // The choice survives a board switch.
    expect(await page.getByLabel('Compare with').inputValue()).toBe(kickOff)
  })

  it('exports the board of a snapshot as an image named like its other exports', async () => {
    const pane = page.getByRole('region', { name: 'Stakeholder map as it was' })
    const [download] = await Promise.all([page.waitForEvent('download'), pane.getByRole('button', { name: 'Export board as PNG' }).click()])
    expect(download.suggestedFilename()).toMatch(/^northwind-logistics-fy27-account-plan-\d{4}-\d{2}-\d{2}\.stakeholders\.png$/)
    expect(fs.readFileSync(await download.path()).subarray(1, 4).toString('ascii')).toBe('PNG')
  })
})
