/**
 * QA q28c: one PDF of a plan with 1,000 Cyrillic action titles held the server's event loop for
 * 2.35 s (every workshop's sync waited), and four at once for over 20 s. Lines are now measured a
 * character at a time (fontkit laid out every candidate line whole), the drawing lets other work
 * run between lines, and at most two PDFs are made at a time, eight more waiting their turn.
 */
import { PDFPage } from 'pdf-lib'
import { afterEach, expect, test, vi } from 'vitest'
import { PdfBusyError, planPdf, planPdfInTurn } from '../../server/snapshot/planPdf.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

afterEach(() => {
  vi.restoreAllMocks()
})

/** The sample plan with `count` actions titled in Cyrillic (an embedded font, laid out by fontkit). */
function cyrillicPlan(count: number) {
  const base = samplePlan()
  const actions = Array.from({ length: count }, (_, i) => ({ id: `shape:a${i}`, title: `Подготовить коммерческое предложение ${i}`, owner: 'Анна', due: null, status: 'open' as const, overdue: false, objectives: [] }))
  return { ...base, actions }
}

test('other work runs between the lines of a long PDF, and the PDF holds every line', async () => {
  // Counts the turns other work gets (a chain of setImmediate) while the pages are being drawn.
  let turns = 0
  let running = true
  const spin = () => {
    turns++
    if (running) setImmediate(spin)
  }
  const drawnAt: number[] = []
  const draw = PDFPage.prototype.drawText
  vi.spyOn(PDFPage.prototype, 'drawText').mockImplementation(function (this: PDFPage, ...args: Parameters<PDFPage['drawText']>) {
    drawnAt.push(turns)
    return draw.apply(this, args)
  })
  setImmediate(spin)
  const bytes = await planPdf(cyrillicPlan(1000), { timeZone: 'UTC', health: null })
  running = false
  // Before, the pages were drawn in one synchronous stretch: no turn between the first line and the last.
  expect((drawnAt.at(-1) ?? 0) - (drawnAt[0] ?? 0)).toBeGreaterThan(0)
  expect(pdfText(bytes).lines).toContain('Подготовить коммерческое предложение 999 — Анна')
})

test('at most two PDFs are made at once and eight wait their turn; one more is refused, not queued', async () => {
  // Eleven workshops asking one each.
  const asked = Array.from({ length: 11 }, (_, i) => planPdfInTurn(samplePlan({ workshopId: `workshop-${i}` }), { timeZone: 'UTC', health: null }).then(() => 'made', (error: unknown) => (error instanceof PdfBusyError ? 'busy' : 'failed')))
  const results = await Promise.all(asked)
  expect(results.filter((result) => result === 'made')).toHaveLength(10)
  expect(results.at(-1)).toBe('busy')
  // The slots are all given back: the next ones are made.
  expect(await Promise.all([planPdfInTurn(samplePlan(), { timeZone: 'UTC', health: null }), planPdfInTurn(samplePlan(), { timeZone: 'UTC', health: null })]).then((made) => made.length)).toBe(2)
})

test('one workshop has at most three PDFs made or waiting: its burst leaves the line to the others (review)', async () => {
  const plan = samplePlan({ workshopId: 'busy-workshop' })
  const burst = Array.from({ length: 5 }, () => planPdfInTurn(plan, { timeZone: 'UTC', health: null }).then(() => 'made', (error: unknown) => (error instanceof PdfBusyError ? 'busy' : 'failed')))
  const other = planPdfInTurn(samplePlan({ workshopId: 'quiet-workshop' }), { timeZone: 'UTC', health: null }).then(() => 'made')
  expect(await Promise.all(burst)).toEqual(['made', 'made', 'made', 'busy', 'busy'])
  expect(await other).toBe('made')
})
