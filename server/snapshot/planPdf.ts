/**
 * The plan as a PDF for the sponsor (issue 16, docs/accounts.md [K10]): account and workshop
 * header, health when the plan has one, SWOT, key stakeholders, objectives with their KPI, the
 * whitespace's opportunities and share of wallet, competitors, actions by status with overdue
 * ones marked, the notes of the other boards ([P17]), revealed votes. A4, one page where it fits, more when it does not; black text on
 * white, times in the workshop's zone. Built from a {@link PlanView}: a guest's PDF is made from
 * the guest's view, so sections it may not see are not in it, nor the fields it withholds ([A36]).
 *
 * Fonts: the standard Helvetica (nothing embedded, a few ms) when every character of the plan is in
 * its WinAnsi encoding; otherwise DejaVu Sans, embedded as a subset of the characters used, for
 * Central European, Greek, Cyrillic and the other scripts it covers (~60 ms more, so only when
 * needed). Drawing yields to the server's other work every {@link SLICE_MS} ms, and
 * {@link planPdfInTurn} makes two at a time ([K10]). A character neither has (Chinese,
 * Japanese) prints as "?", and so does right-to-left text (Hebrew, Arabic), which pdf-lib would
 * draw backwards; an emoji neither has is left out.
 */
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { PDFDocument, StandardFonts, rgb, type PDFFont, type PDFPage } from 'pdf-lib'
import { ACTION_STATUSES, LABELS } from '../../shared/shapes.ts'
import { NOTE_BOARDS, SWOT_QUADRANT_TITLES, SNAPSHOT_TRIGGER_LABELS, type PlanView } from '../../shared/plan.ts'
import { BOARD_TITLES } from '../../shared/boards.ts'
import { titleOf } from '../../shared/planLabels.ts'
import { shownField } from '../../shared/withheld.ts'
import { amountIn } from '../../shared/currency.ts'
import { formatAmount, formatShare } from '../../shared/formatAmount.ts'
import { cellsInMatrixOrder } from '../../shared/whitespaceOrder.ts'
import { voteItemLabel } from '../../shared/votes.ts'
import { plural } from '../../shared/plural.ts'

const PAGE = { width: 595.28, height: 841.89 }
const MARGIN = 40
const GAP = 14
const BODY = 8.5
/** The longest stretch one PDF holds the event loop while drawing, in ms. */
const SLICE_MS = 10

/** Characters the standard fonts' WinAnsi encoding has beyond Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')

/** A character of an emoji: a pictograph, a zero-width joiner, a variation selector, a skin tone, a flag's letter, a keycap. */
const EMOJI_PART = /^(?:\p{Extended_Pictographic}|\u200d|[\ufe00-\ufe0f]|[\u{1f3fb}-\u{1f3ff}]|[\u{1f1e6}-\u{1f1ff}]|\u20e3)$/u

/** Latin letters that do not decompose into a base letter and an accent. */
const PLAIN_LETTERS: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't' }

/** Whether the standard fonts' WinAnsi encoding has `char` (a printable character). */
function inWinAnsi(char: string): boolean {
  const code = char.codePointAt(0) ?? 0
  return (code >= 0x20 && code < 0x7f) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(char)
}

/**
 * `text` on one line with only characters `drawable` accepts: tabs and line breaks as spaces; a
 * letter the font lacks as its base letter where it has one ("ő" → "o"), anything else as "?".
 */
function drawableText(text: string, drawable: (char: string) => boolean): string {
  let out = ''
  for (const char of text.normalize('NFC').replace(/[\t\r\n]+/g, ' ')) {
    if (drawable(char)) out += char
    else if (PLAIN_LETTERS[char] && drawable(PLAIN_LETTERS[char])) out += PLAIN_LETTERS[char]
    // An emoji the font lacks (and the joiners, selectors and modifiers that build one) is left
    // out: as "?" it changed the sense ("8 % below market ?" read as a question, QA q36b).
    else if (EMOJI_PART.test(char)) continue
    else {
      const base = char.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
      out += base && [...base].every((c) => (c.codePointAt(0) ?? 0) < 0x7f && (c.codePointAt(0) ?? 0) >= 0x20) ? base : '?'
    }
  }
  return out
}

/** Text the standard fonts can draw: accents dropped where WinAnsi lacks the letter, emoji left out, other characters as '?'. */
export function pdfSafe(text: string): string {
  return drawableText(text, inWinAnsi)
}

/**
 * Whether `code` is of a right-to-left script (Hebrew, Arabic, Syriac, Thaana, their presentation
 * forms). pdf-lib draws a line in one direction, so such text came out backwards, and reversed the
 * Latin beside it: it prints as "?" as Chinese does, until lines are laid out by direction.
 */
function rightToLeft(code: number): boolean {
  return (code >= 0x0590 && code <= 0x08ff) || (code >= 0xfb1d && code <= 0xfdff) || (code >= 0xfe70 && code <= 0xfeff)
}

/** The fonts of one PDF and the text they can draw. */
type Typeface = { regular: PDFFont; bold: PDFFont; drawable: (text: string) => string }

const require = createRequire(import.meta.url)

/**
 * Helvetica when WinAnsi has every character of `text` (all the text the PDF will hold), else
 * DejaVu Sans, a subset embedded. The font files are read for this PDF and not kept: a server that
 * never makes one pays nothing, and one that does keeps no megabytes of font for the rare next.
 */
async function typefaceFor(pdf: PDFDocument, text: string): Promise<Typeface> {
  if ([...text].every(inWinAnsi)) {
    return { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold), drawable: pdfSafe }
  }
  const { default: fontkit } = await import('@pdf-lib/fontkit')
  pdf.registerFontkit(fontkit)
  const [regularFile, boldFile] = await Promise.all([readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')), readFile(require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'))])
  const regular = await pdf.embedFont(regularFile, { subset: true })
  const bold = await pdf.embedFont(boldFile, { subset: true })
  // Printable characters both faces have (the bold's coverage is the regular's, less a few
  // symbols), asked of the fonts pdf-lib parsed to embed them, not of a second parse.
  const faces = [new Set(regular.getCharacterSet()), new Set(bold.getCharacterSet())]
  const has = (char: string) => {
    const code = char.codePointAt(0) ?? 0
    return code >= 0x20 && !(code >= 0x7f && code < 0xa0) && !rightToLeft(code) && faces.every((face) => face.has(code))
  }
  return { regular, bold, drawable: (line) => drawableText(line, has) }
}

type Style = { font: PDFFont; size: number; color?: ReturnType<typeof rgb> }

/** Each font's width of each character at size 1, as it is asked for. */
const advances = new WeakMap<PDFFont, Map<string, number>>()

/**
 * The width of `text` in `style`: the sum of its characters' widths, each measured once per font.
 * pdf-lib measures an embedded font's text by laying it out whole (fontkit's shaping: ~3 ms per
 * line of Cyrillic), and wrapping measures every candidate line: a plan of 1,000 Cyrillic actions
 * took 2.8 s in one stretch (QA q28c), against 0.12 s in Latin. Kerning is left out, which only
 * makes a line a touch narrower than it could be.
 */
function textWidth(style: Style, text: string): number {
  let widths = advances.get(style.font)
  if (!widths) advances.set(style.font, (widths = new Map()))
  let width = 0
  for (const char of text) {
    let advance = widths.get(char)
    if (advance === undefined) widths.set(char, (advance = style.font.widthOfTextAtSize(char, 1)))
    width += advance
  }
  return width * style.size
}

/** `word` in pieces that each fit (by `fits`), at least one character each. */
function breakWord(word: string, fits: (text: string) => boolean): string[] {
  const pieces: string[] = []
  let piece = ''
  for (const char of word) {
    if (piece && !fits(piece + char)) {
      pieces.push(piece)
      piece = ''
    }
    piece += char
  }
  if (piece) pieces.push(piece)
  return pieces
}

/** A top-to-bottom writer over as many pages as the content needs. */
class Flow {
  private page: PDFPage
  y: number
  /** When this PDF last let other work run. */
  private since = performance.now()
  constructor(
    private readonly pdf: PDFDocument,
    private readonly drawable: (text: string) => string,
  ) {
    this.page = pdf.addPage([PAGE.width, PAGE.height])
    this.y = PAGE.height - MARGIN
  }

  /**
   * Lines of `text` that fit `width` in `style`; a word wider than `width` (a long URL) is broken
   * where it must. Each of its own lines wraps on its own (QA q29b: a note's lines ran together).
   */
  wrap(text: string, style: Style, width: number): string[] {
    return text.split(/\r\n|\r|\n/).flatMap((line) => this.wrapLine(line, style, width))
  }

  private wrapLine(text: string, style: Style, width: number): string[] {
    const fits = (candidate: string) => textWidth(style, candidate) <= width
    const words = this.drawable(text).split(' ').filter(Boolean).flatMap((word) => (fits(word) ? [word] : breakWord(word, fits)))
    const lines: string[] = []
    let line = ''
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word
      if (fits(candidate) || !line) line = candidate
      else {
        lines.push(line)
        line = word
      }
    }
    if (line) lines.push(line)
    return lines.length > 0 ? lines : ['']
  }

  /** Makes room for `height`, on a new page when this one is full. */
  room(height: number): void {
    if (this.y - height >= MARGIN) return
    this.page = this.pdf.addPage([PAGE.width, PAGE.height])
    this.y = PAGE.height - MARGIN
  }

  /** Draws wrapped text at `x` within `width`; returns the height used. */
  async text(text: string, style: Style, x = MARGIN, width = PAGE.width - 2 * MARGIN): Promise<number> {
    const lines = this.wrap(text, style, width)
    const lineHeight = style.size * 1.3
    for (const line of lines) {
      this.room(lineHeight)
      this.y -= lineHeight
      this.page.drawText(line, { x, y: this.y + style.size * 0.25, size: style.size, font: style.font, color: style.color ?? rgb(0, 0, 0) })
      await this.breathe()
    }
    return lines.length * lineHeight
  }

  /**
   * Lets the server's other work run when this PDF has held the event loop for {@link SLICE_MS}:
   * each line drawn in an embedded font is laid out by fontkit (~0.4 ms), and a plan may hold
   * thousands (QA q28c: one PDF held every workshop's sync for 2.35 s).
   */
  private async breathe(): Promise<void> {
    if (performance.now() - this.since < SLICE_MS) return
    await new Promise((resolve) => setImmediate(resolve))
    this.since = performance.now()
  }

  /** Draws columns side by side (each a list of [text, style]), advancing by the tallest. */
  async columns(columns: readonly (readonly [string, Style][])[]): Promise<void> {
    const width = (PAGE.width - 2 * MARGIN - GAP * (columns.length - 1)) / columns.length
    const laid = columns.map((items) => items.flatMap(([text, style]) => this.wrap(text, style, width).map((line) => ({ line, style }))))
    const rows = Math.max(...laid.map((lines) => lines.length))
    for (let row = 0; row < rows; row++) {
      const height = Math.max(...laid.map((lines) => (lines[row]?.style.size ?? BODY) * 1.3))
      this.room(height)
      this.y -= height
      laid.forEach((lines, i) => {
        const cell = lines[row]
        if (cell) this.page.drawText(cell.line, { x: MARGIN + i * (width + GAP), y: this.y + cell.style.size * 0.25, size: cell.style.size, font: cell.style.font, color: cell.style.color ?? rgb(0, 0, 0) })
      })
      await this.breathe()
    }
  }

  rule(): void {
    this.room(8)
    this.y -= 5
    this.page.drawLine({ start: { x: MARGIN, y: this.y }, end: { x: PAGE.width - MARGIN, y: this.y }, thickness: 0.5, color: rgb(0.6, 0.6, 0.6) })
    this.y -= 3
  }

  gap(points: number): void {
    this.y -= points
  }
}

/** An amount as every output writes it (`shared/formatAmount.ts`): digits grouped, cents only where there are any. */
function amount(value: number): string {
  return formatAmount(value, 'en-US')
}

/** What the PDF says besides the plan. */
export type PlanPdfContext = {
  /** The workshop's IANA time zone: the snapshot's time is shown in it. */
  timeZone: string
  /** The plan's health score (0–100) when it has one. */
  health: number | null
}

/** The PDF of `view` (page content Flate-compressed). */
export async function planPdf(view: PlanView, context: PlanPdfContext): Promise<Uint8Array> {
  const pdf = await PDFDocument.create()
  // The title is metadata (UTF-16 in the file): any script, whatever the page's font.
  pdf.setTitle(`${view.account}: ${view.title}`.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' '))
  pdf.setProducer('Keyplan')
  pdf.setCreationDate(new Date(view.takenAt))
  const { regular, bold, drawable } = await typefaceFor(pdf, JSON.stringify(view))
  const body: Style = { font: regular, size: BODY }
  const strong: Style = { font: bold, size: BODY }
  const muted: Style = { font: regular, size: BODY, color: rgb(0.3, 0.3, 0.3) }
  const heading: Style = { font: bold, size: 11 }
  const flow = new Flow(pdf, drawable)

  const taken = new Intl.DateTimeFormat('en-GB', { timeZone: context.timeZone, dateStyle: 'long', timeStyle: 'short' }).format(new Date(view.takenAt))
  await flow.text(view.account, { font: bold, size: 18 })
  await flow.text(`Account plan: ${view.title}`, { font: regular, size: 12 })
  await flow.text(`${view.label ?? SNAPSHOT_TRIGGER_LABELS[view.trigger]} · ${taken} (${context.timeZone})`, muted)
  if (context.health !== null) await flow.text(`Plan health: ${context.health} / 100`, strong)
  flow.rule()

  if (view.swot) {
    await flow.text('SWOT', heading)
    const quadrant = (key: 'strengths' | 'weaknesses' | 'opportunities' | 'threats'): [string, Style][] => {
      const items = view.swot?.[key] ?? []
      return [[SWOT_QUADRANT_TITLES[key], strong], ...(items.length > 0 ? items.map((item): [string, Style] => [`• ${item.text}`, body]) : [['(none)', muted] as [string, Style]])]
    }
    await flow.columns([quadrant('strengths'), quadrant('weaknesses')])
    flow.gap(4)
    await flow.columns([quadrant('opportunities'), quadrant('threats')])
    if (view.swot.unsorted.length > 0) {
      flow.gap(4)
      await flow.text('Not in a quadrant', strong)
      for (const item of view.swot.unsorted) await flow.text(`• ${item.text}`, body)
    }
    flow.gap(6)
  }

  if (view.stakeholders) {
    await flow.text('Key stakeholders', heading)
    if (view.stakeholders.length === 0) await flow.text('(none)', muted)
    // A field the view withholds (customer guests, [A36]) is left out of the line, not shown at a default.
    const shown = shownField(view.withheld, 'stakeholder')
    // Most influence first; a person whose influence is not assessed after those assessed.
    const rank = (influence: string | null | undefined) => (influence === undefined ? 0 : influence === null ? 3 : ['high', 'medium', 'low'].indexOf(influence))
    const ranked = [...view.stakeholders].sort((a, b) => rank(a.influence) - rank(b.influence))
    for (const person of ranked) {
      const assessed = [
        ...(shown('buyingRole') ? [person.buyingRole ? LABELS.buyingRole[person.buyingRole] : 'role not assessed'] : []),
        ...(shown('influence') ? [person.influence ? `influence ${LABELS.influence[person.influence].toLowerCase()}` : 'influence not assessed'] : []),
        ...(shown('attitude') ? [person.attitude ? LABELS.attitude[person.attitude].toLowerCase() : 'attitude not assessed'] : []),
        ...(person.owner ? [`owner ${person.owner}`] : []),
      ]
      const who = `${person.name || (shown('name') ? '(unnamed)' : 'Name not shared')}${person.jobTitle ? `, ${person.jobTitle}` : ''}`
      await flow.text(assessed.length > 0 ? `${who} — ${assessed.join('; ')}` : who, body)
    }
    flow.gap(6)
  }

  if (view.objectives) {
    await flow.text('Objectives', heading)
    if (view.objectives.length === 0) await flow.text('(none)', muted)
    for (const objective of view.objectives) {
      // Marked as an overdue action is ([P9]).
      const late = objective.pastTargetDate === true
      await flow.text(`${late ? 'PAST TARGET DATE · ' : ''}${titleOf('objective', objective.objective, '(untitled)')}${objective.status ? ` — ${LABELS.objectiveStatus[objective.status]}` : ''}`, late ? { ...strong, color: rgb(0.7, 0, 0) } : strong)
      // Unknown in words: a '?' reads like a character the font could not draw.
      const figure = (value: number | null | undefined) => (value === null || value === undefined ? 'unknown' : `${amount(value)}${objective.unit ? ` ${objective.unit}` : ''}`)
      // Baseline and target are money by default, withheld from a guest ([A36]): left out, not shown as "?".
      // "to", not an arrow: the standard fonts have none.
      const figures = [...(objective.baseline !== undefined ? [figure(objective.baseline)] : []), ...(objective.target !== undefined ? [figure(objective.target)] : [])].join(' to ')
      const kpi = [objective.measure, figures].filter((part) => part).join(': ')
      const details = [
        ...(kpi ? [kpi] : []),
        ...(objective.targetDate ? [`by ${objective.targetDate}`] : []),
        ...(objective.owner ? [`owner ${objective.owner}`] : []),
      ]
      if (details.length > 0) await flow.text(details.join(' · '), body, MARGIN + 8, PAGE.width - 2 * MARGIN - 8)
    }
    flow.gap(6)
  }

  // A cell's notes ("contract runs until 2028"), as the Markdown lists them: by cell, in matrix order.
  const notedCells = view.whitespace && shownField(view.withheld, 'whitespace')('notes') ? cellsInMatrixOrder(view.whitespace).filter((cell) => cell.notes?.trim()) : []
  if (view.whitespace && (view.whitespace.opportunities.count > 0 || view.whitespace.shareOfWallet.length > 0 || notedCells.length > 0)) {
    const { opportunities, shareOfWallet, currency } = view.whitespace
    const inCurrency = (value: number) => amountIn(value, currency, 'en-US')
    await flow.text('Whitespace', heading)
    const money = opportunities.value !== undefined && opportunities.weighted !== undefined ? `: ${inCurrency(opportunities.value)} (weighted ${inCurrency(opportunities.weighted)})` : ''
    await flow.text(`${opportunities.count} open ${opportunities.count === 1 ? 'opportunity' : 'opportunities'}${money}`, body)
    for (const unit of shareOfWallet) {
      const share = unit.share === null ? 'unknown' : `${formatShare(unit.share)} of ${inCurrency(unit.spend)}`
      await flow.text(`Share of wallet, ${unit.row || '(no unit)'}: ${share}`, body, MARGIN + 8, PAGE.width - 2 * MARGIN - 8)
    }
    if (notedCells.length > 0) await flow.text('Cell notes', strong)
    for (const cell of notedCells) {
      await flow.text(`${cell.row || '(no unit)'} × ${cell.column || '(no offering)'}: ${cell.notes ?? ''}`, body, MARGIN + 8, PAGE.width - 2 * MARGIN - 8)
    }
    flow.gap(6)
  }

  if (view.competitors && view.competitors.length > 0) {
    await flow.text('Competitors', heading)
    for (const competitor of view.competitors) {
      const position = competitor.position ? ` — ${LABELS.competitorPosition[competitor.position].toLowerCase()}` : ''
      await flow.text(`${titleOf('competitor', competitor.name, '(unnamed)')}${position}${competitor.strengths ? `; strong in: ${competitor.strengths}` : ''}`, body)
    }
    flow.gap(6)
  }

  if (view.actions) {
    await flow.text('Actions', heading)
    if (view.actions.length === 0) await flow.text('(none)', muted)
    // Grouped by status unless the view withholds it: then one list, under no status heading.
    const groups = shownField(view.withheld, 'action')('status') ? ACTION_STATUSES.map((status) => [status, view.actions?.filter((a) => a.status === status) ?? []] as const) : [[null, view.actions] as const]
    for (const [status, actions] of groups) {
      if (actions.length === 0) continue
      if (status) await flow.text(`${LABELS.status[status]} (${actions.length})`, strong)
      for (const a of actions) {
        await flow.text(`${a.overdue ? 'OVERDUE · ' : ''}${titleOf('action', a.title, '(untitled)')}${a.owner ? ` — ${a.owner}` : ''}${a.due ? ` — due ${a.due}` : ''}`, a.overdue ? { font: bold, size: BODY, color: rgb(0.7, 0, 0) } : body, MARGIN + 8, PAGE.width - 2 * MARGIN - 8)
      }
    }
    flow.gap(6)
  }

  // [P17] What was written beside the cards of the other boards, board by board.
  if (view.notes && view.notes.length > 0) {
    await flow.text('Notes on the boards', heading)
    for (const board of NOTE_BOARDS) {
      const notes = view.notes.filter((note) => note.board === board)
      if (notes.length === 0) continue
      await flow.text(BOARD_TITLES[board], strong)
      for (const note of notes) await flow.text(`• ${note.text}${note.author ? ` (${note.author})` : ''}`, body, MARGIN + 8, PAGE.width - 2 * MARGIN - 8)
    }
    flow.gap(6)
  }

  if (view.votes.length > 0) {
    await flow.text('Votes', heading)
    for (const vote of view.votes) {
      await flow.text(`${vote.question || 'Vote'} (${plural(vote.totalVotes, 'vote')} by ${plural(vote.voters, 'person', 'people')})`, strong)
      for (const item of vote.items.slice(0, 5)) await flow.text(`${item.votes} × ${voteItemLabel(item)}`, body, MARGIN + 8, PAGE.width - 2 * MARGIN - 8)
    }
  }

  return pdf.save({ useObjectStreams: false })
}

/** PDFs drawn at once by this server, how many more may wait for a turn, and how many of either one workshop may have. */
const PDF_SLOTS = { running: 2, waiting: 8, perWorkshop: 3 }
let running = 0
const waiting: (() => void)[] = []
/** PDFs of each workshop drawn or waiting. */
const asked = new Map<string, number>()

/** Too many PDFs asked for at once: the caller answers 503 and the client asks again. */
export class PdfBusyError extends Error {}

/**
 * {@link planPdf}, at most {@link PDF_SLOTS}.running at a time, the next few in turn, and at most
 * three of one workshop drawn or waiting: a PDF is the one export that costs the server real work
 * (~0.1–0.5 s), so a burst of them (QA q28c: four at once, from one guest) shares the CPU with the
 * rest of the server instead of taking it. The client is told 503 and asks again when it likes.
 * @throws PdfBusyError when as many wait already, or as many of this workshop
 */
export async function planPdfInTurn(view: PlanView, context: PlanPdfContext): Promise<Uint8Array> {
  // One workshop's burst (a guest's link asking again and again) is refused before it fills the
  // line that every workshop's PDFs wait in (review).
  const mine = asked.get(view.workshopId) ?? 0
  if (mine >= PDF_SLOTS.perWorkshop) throw new PdfBusyError('this workshop has PDFs being made already; try again in a moment')
  if (running >= PDF_SLOTS.running && waiting.length >= PDF_SLOTS.waiting) throw new PdfBusyError('too many PDFs are being made; try again in a moment')
  asked.set(view.workshopId, mine + 1)
  try {
    if (running >= PDF_SLOTS.running) await new Promise<void>((resolve) => waiting.push(resolve))
    else running++
    try {
      return await planPdf(view, context)
    } finally {
      // The slot passes to the next in line, or is given back.
      const next = waiting.shift()
      if (next) next()
      else running--
    }
  } finally {
    const left = (asked.get(view.workshopId) ?? 1) - 1
    if (left > 0) asked.set(view.workshopId, left)
    else asked.delete(view.workshopId)
  }
}
