/**
 * The plan PDF (docs/accounts.md [K10]) is one page where the plan fits and flows onto more pages
 * where it does not, losing nothing; text the standard fonts cannot draw is replaced, never fatal.
 */
import { expect, test } from 'vitest'
import { planPdf, pdfSafe } from '../../server/snapshot/planPdf.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

test('a long action plan flows onto further pages with every action in it', async () => {
  const base = samplePlan()
  const actions = Array.from({ length: 120 }, (_, i) => ({ id: `shape:a${i}`, title: `Action number ${i}`, owner: 'Ada', due: null, status: 'open' as const, overdue: false, objectives: [] }))
  const { pages, lines } = pdfText(await planPdf({ ...base, actions }, { timeZone: 'UTC', health: 72 }))
  expect(pages).toBeGreaterThan(1)
  expect(lines).toContain('Action number 119 — Ada')
  expect(lines).toContain('Plan health: 72 / 100')
})

test('the sample plan fits on one page', async () => {
  expect(pdfText(await planPdf(samplePlan(), { timeZone: 'Europe/Berlin', health: null })).pages).toBe(1)
})

test('characters no font has become ?, and the PDF is still made', async () => {
  // For the standard fonts alone, a letter outside WinAnsi loses its accent (plan-pdf-prints-every-script… embeds a font instead).
  expect(pdfSafe('Łódź 東京 café —')).toBe('Lódz ?? café —')
  // Emoji are left out, whole (joiners, skin tones, flags, keycaps): as "?" they changed the sense (QA q36b).
  expect(pdfSafe('8 % below market 🚚 👩🏽‍💻 🇩🇪 1️⃣ ©')).toBe('8 % below market    1 ©')
  const plan = samplePlan({ account: 'Łódź 東京' })
  expect(pdfText(await planPdf(plan, { timeZone: 'UTC', health: null })).lines[0]).toBe('Łódź ??')
})
