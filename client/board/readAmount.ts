/**
 * Reads an amount as a person types or pastes it, in their own notation (QA q33b: the browser's
 * number input dropped the separators it did not know, so "1.250.000,50" pasted from a German
 * spreadsheet was stored as 1.2500005 and "12,5" as 125, with no message).
 *
 * - Grouping by `.`, `,`, spaces (also no-break and narrow ones) or apostrophes; groups of three
 *   digits after the first, or of two before the last three (12,50,000).
 * - A decimal separator `.` or `,`: with both present, the later one; one of them more than once,
 *   it groups. A single one followed by exactly three digits ("1,250", "1.250") means what it
 *   means in `locale`: the decimal separator there, else grouping.
 * - A minus (also − and –), a plus, or accounting parentheses ("(1,250)" is −1,250).
 * - Anything else (a currency, a percent sign, an exponent) is not read: the field says so.
 */

/** What a text reads as. `partial`: not a number yet, but typing on can make one ("-", "1,", "("). */
export type AmountRead = { kind: 'empty' } | { kind: 'partial' } | { kind: 'invalid' } | { kind: 'number'; value: number }

const SPACE_GROUPING = /[\s\u00a0\u202f\u2009'\u2019]/gu
const GROUPED_BY_COMMA = /[,\s\u00a0\u202f\u2009'\u2019]/u
const GROUPED_BY_DOT = /[.\s\u00a0\u202f\u2009'\u2019]/u
const GROUPED_BY_EITHER = /[.,\s\u00a0\u202f\u2009'\u2019]/u
const ALLOWED = /^[\d.,\s\u00a0\u202f\u2009'\u2019]*$/u

/** The decimal separator of `locale` ("." or ","; another locale's own sign counts as neither). */
function decimalSeparator(locale: string): string {
  return new Intl.NumberFormat(locale).formatToParts(1.5).find((part) => part.type === 'decimal')?.value ?? '.'
}

/**
 * How `integer` (grouping characters in it) is grouped: as people group digits (`ok`), on the way to
 * that (`partial`: its last group has fewer than three digits yet), or not (`bad`).
 */
function grouped(integer: string, grouping: RegExp): 'ok' | 'partial' | 'bad' {
  const groups = integer.split(grouping)
  if (groups.length === 1) return /^\d*$/u.test(integer) ? 'ok' : 'bad'
  const [first = '', ...rest] = groups
  const last = rest.pop() ?? ''
  if (!/^\d{1,3}$/u.test(first) || !rest.every((group) => /^\d{2,3}$/u.test(group))) return 'bad'
  if (/^\d{3}$/u.test(last)) return 'ok'
  return /^\d{1,2}$/u.test(last) ? 'partial' : 'bad'
}

/** Reads `text` as an amount in the notation of `locale` (a BCP 47 tag, e.g. the browser's language). */
export function readAmount(text: string, locale: string): AmountRead {
  let rest = text.trim().replace(/[\u2212\u2012\u2013]/gu, '-')
  if (rest === '') return { kind: 'empty' }
  let negative = false
  if (rest.startsWith('(')) {
    if (!rest.endsWith(')')) return ALLOWED.test(rest.slice(1).replace(/^[-+]/u, '')) ? { kind: 'partial' } : { kind: 'invalid' }
    negative = true
    rest = rest.slice(1, -1).trim()
    if (rest === '') return { kind: 'invalid' }
  } else if (rest.startsWith('-') || rest.startsWith('+')) {
    negative = rest.startsWith('-')
    rest = rest.slice(1).trimStart()
    if (rest === '') return { kind: 'partial' }
  }
  if (!ALLOWED.test(rest)) return { kind: 'invalid' }
  // "1," or "1 250." (or a leading ".") on the way to a number.
  if (/[.,\s\u00a0\u202f\u2009'\u2019]$/u.test(rest)) return /\d/u.test(rest) || rest === '.' || rest === ',' ? { kind: 'partial' } : { kind: 'invalid' }
  const lastDot = rest.lastIndexOf('.')
  const lastComma = rest.lastIndexOf(',')
  let decimal: string | null = null
  if (lastDot >= 0 && lastComma >= 0) {
    decimal = lastDot > lastComma ? '.' : ','
  } else if (lastDot >= 0 || lastComma >= 0) {
    const mark = lastDot >= 0 ? '.' : ','
    const at = Math.max(lastDot, lastComma)
    const once = rest.indexOf(mark) === at
    const before = rest.slice(0, at)
    const after = rest.slice(at + 1)
    if (!once) decimal = null
    // "0,045" groups nothing: only a group that could start a number makes it ambiguous.
    else if (/^\d{3}$/u.test(after) && /^[1-9]\d{0,2}$/u.test(before)) decimal = decimalSeparator(locale) === mark ? mark : null
    else decimal = mark
  }
  let integer = rest
  let fraction = ''
  if (decimal !== null) {
    const at = rest.lastIndexOf(decimal)
    if (rest.indexOf(decimal) !== at) return { kind: 'invalid' }
    integer = rest.slice(0, at).trimEnd()
    fraction = rest.slice(at + 1)
    if (!/^\d+$/u.test(fraction)) return { kind: 'invalid' }
  }
  const groupMark = decimal === '.' ? ',' : decimal === ',' ? '.' : null
  const grouping = groupMark === ',' ? GROUPED_BY_COMMA : groupMark === '.' ? GROUPED_BY_DOT : GROUPED_BY_EITHER
  const groupedAs = integer === '' ? 'ok' : grouped(integer, grouping)
  if (groupedAs === 'bad' || (groupedAs === 'partial' && fraction !== '')) return { kind: 'invalid' }
  if (groupedAs === 'partial') return { kind: 'partial' }
  const digits = integer.replace(SPACE_GROUPING, '').replace(/[.,]/gu, '')
  const value = Number(`${negative ? '-' : ''}${digits === '' ? '0' : digits}${fraction === '' ? '' : `.${fraction}`}`)
  return Number.isFinite(value) ? { kind: 'number', value: value === 0 ? 0 : value } : { kind: 'invalid' }
}

/** An amount as the field shows it when not being typed: in `locale`'s notation, grouped, every digit kept. */
export function showAmount(value: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 20 }).format(value)
}
