/**
 * QA pass q26b (twenty-sixth session) found the plan PDF short of what the other outputs hold:
 * names outside Western European text printed as "?" ("Dvořák" lost its letters, Greek and
 * Cyrillic became "??????"), a long URL ran off the page, a note outside the quadrants and the
 * whitespace cells' notes were in the Markdown but not the PDF. Text WinAnsi cannot encode now
 * prints in an embedded DejaVu Sans; a plan all in WinAnsi keeps the standard Helvetica (nothing
 * embedded); what neither font has (Chinese) still prints as "?", and the PDF's title keeps it.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { PDFDocument, StandardFonts } from 'pdf-lib'
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { planPdf } from '../../server/snapshot/planPdf.ts'
import { axisHeader, boardStore, planInput, whitespaceCell } from '../helpers/planBoards.ts'
import { pdfText } from '../helpers/pdfText.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const context = { timeZone: 'UTC', health: null }

test('Central European, Greek and Cyrillic text prints as written, in an embedded font', async () => {
  const base = samplePlan({ account: 'Škoda Praha' })
  const plan = {
    ...base,
    stakeholders: base.stakeholders.map((person, i) => (i === 0 ? { ...person, name: 'Antonín Dvořák', jobTitle: 'Ředitel' } : { ...person, name: 'Γιώργος Παπαδόπουλος', jobTitle: 'Финансовый директор' })),
    actions: [{ ...base.actions[0]!, title: 'Spotkanie w Łodzi', owner: 'Zoë Łukasiewicz' }],
  }
  const { lines, fonts } = pdfText(await planPdf(plan, context))
  expect(fonts.some((font) => /DejaVuSans/.test(font))).toBe(true)
  expect(lines[0]).toBe('Škoda Praha')
  expect(lines.some((line) => line.startsWith('Antonín Dvořák, Ředitel'))).toBe(true)
  expect(lines.some((line) => line.startsWith('Γιώργος Παπαδόπουλος, Финансовый директор'))).toBe(true)
  expect(lines.some((line) => line.startsWith('OVERDUE · Spotkanie w Łodzi — Zoë Łukasiewicz'))).toBe(true)
  // No character replaced: the only "?" is the vote's question mark.
  expect(lines.filter((line) => line.includes('?'))).toEqual(['Which threats matter most? (5 votes by 2 people)'])
})

test('a plan all in WinAnsi keeps the standard fonts: nothing embedded', async () => {
  const { lines, fonts } = pdfText(await planPdf(samplePlan({ account: 'Café Zoë — “Nord”' }), context))
  expect(fonts).toEqual(['Helvetica', 'Helvetica-Bold'])
  expect(lines[0]).toBe('Café Zoë — “Nord”')
})

test('what no font has prints as "?", the document title keeps every character', async () => {
  const bytes = await planPdf(samplePlan({ account: '李伟 Trading', title: 'План FY27' }), context)
  const { lines } = pdfText(bytes)
  expect(lines[0]).toBe('?? Trading')
  expect(lines).toContain('Account plan: План FY27')
  expect((await PDFDocument.load(bytes)).getTitle()).toBe('李伟 Trading: План FY27')
})

test('right-to-left text prints as "?": drawn in one direction, it would read backwards and turn the Latin beside it round (review)', async () => {
  const { lines } = pdfText(await planPdf(samplePlan({ account: 'Acme ישראל Ltd' }), context))
  expect(lines[0]).toBe('Acme ????? Ltd')
})

test('a word wider than the page (a long URL) is broken over lines that fit, every character kept', async () => {
  const url = `https://example.com/${'very-long-path-segment/'.repeat(8)}proposal.pdf`
  const base = samplePlan()
  const { lines } = pdfText(await planPdf({ ...base, actions: [{ ...base.actions[1]!, title: url, owner: '' }] }, context))
  const at = lines.findIndex((line) => line.startsWith('https://example.com/'))
  expect(at).toBeGreaterThan(-1)
  const pieces: string[] = []
  for (let i = at; pieces.join('') !== url && i < lines.length && url.includes(lines[i] ?? '-'); i++) pieces.push(lines[i] ?? '')
  expect(pieces.join('')).toBe(url)
  expect(pieces.length).toBeGreaterThan(1)
  // An action's line is indented 8 pt within the 40 pt margins of A4, in 8.5 pt Helvetica.
  const helvetica = await (await PDFDocument.create()).embedFont(StandardFonts.Helvetica)
  for (const piece of pieces) expect(helvetica.widthOfTextAtSize(piece, 8.5)).toBeLessThanOrEqual(595.28 - 2 * 40 - 8)
})

test('notes outside every quadrant print under "Not in a quadrant"', async () => {
  const { lines } = pdfText(await planPdf(samplePlan(), context))
  const at = lines.indexOf('Not in a quadrant')
  expect(at).toBeGreaterThan(-1)
  expect(lines[at + 1]).toBe('• Ask about budget')
})

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()
const withCells = PlanRecordSchema.parse({
  ...extractPlan(
    planInput({
      whitespace: records(
        axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Parcel services'),
        axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Fleet telematics'),
        whitespaceCell('shape:c1', { x: 5000, y: -500 }, { row: 'Parcel services', column: 'Fleet telematics', kind: 'we_supply', value: 100_000, notes: 'Contract runs until 2028' }),
      ),
    }),
  ),
  id: 'snap-1',
})

test('the whitespace cells\' notes print under "Cell notes", and not for a guest they are withheld from', async () => {
  const { lines } = pdfText(await planPdf(withCells, context))
  const at = lines.indexOf('Cell notes')
  expect(at).toBeGreaterThan(-1)
  expect(lines[at + 1]).toBe('Parcel services × Fleet telematics: Contract runs until 2028')
  const guest = customerSafePlan(withCells, resolveSensitivity({}), new Set())
  expect(guest.withheld?.some((field) => field === 'whitespace.notes')).toBe(true)
  expect(pdfText(await planPdf(guest, context)).lines.join('\n')).not.toContain('Contract runs until 2028')
})
