/**
 * QA pass q26b (twenty-sixth session): an account named in Cyrillic downloaded its exports as
 * "account-workshop-<date>.pdf", and the PDF printed its name as "??????". In real Chromium, the
 * review page's PDF and Markdown buttons now save under the name in its own script (the server's
 * UTF-8 `filename*`), and the PDF holds the name as written.
 */
import fs from 'node:fs'
import type { Page } from 'playwright-core'
import { beforeAll, expect, test } from 'vitest'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let plan: PlanRecord
let page: Page

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Москва Энерго', title: 'План FY27', timeZone: 'UTC' })
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"label":"Review"}' })
  plan = PlanRecordSchema.parse(await response.json())
  const [fiona] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fiona Facilitator'])
  if (!fiona) throw new Error('no page')
  page = fiona.page
  await waitForBoard(page)
  await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots`)
})

test('the PDF and Markdown downloads are named in the account\'s script, and the PDF prints the name', async () => {
  const date = plan.takenAt.slice(0, 10)
  const exports = page.getByRole('group', { name: 'Export', exact: true })
  await exports.waitFor({ timeout: WAIT_MS })
  const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), exports.getByRole('button', { name: 'PDF' }).click()])
  expect(pdf.suggestedFilename()).toBe(`москва-энерго-план-fy27-${date}.pdf`)
  expect(pdfText(new Uint8Array(fs.readFileSync(await pdf.path()))).lines[0]).toBe('Москва Энерго')
  const [markdown] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), exports.getByRole('button', { name: 'Markdown' }).click()])
  expect(markdown.suggestedFilename()).toBe(`москва-энерго-план-fy27-${date}.md`)
})
