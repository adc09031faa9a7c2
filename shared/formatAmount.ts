/**
 * The one rule for money and other amounts wherever people read them (board cards, the review
 * page and its diff, Markdown): thousands separators, and the cents when there are any, both of
 * them, never rounded to whole units (99,999.99; 1,250,000.50, not .5; 250,000); finer digits as
 * entered (0.045), never rounded to the cent. Rounding only for display made a card read
 * 100,000 while the Markdown said 99,999.99 and the totals disagreed. CSV and JSON are for
 * machines and keep the exact number; totals are summed to the cent at extraction ([P14]), so
 * every output adds up the same.
 */

// Made on first use, one per locale: an Intl formatter maps in ICU's locale data (~4 MB of RSS),
// which a server that never exports a plan need not carry.
const formats = new Map<string, { whole: Intl.NumberFormat; cents: Intl.NumberFormat; fine: Intl.NumberFormat }>()

/**
 * Below this size an amount's digits past the cents are shown as entered (a KPI of 0.045 %, a rate
 * of 1.125): a double holds them there. Above it, cents are all a double holds exactly.
 */
const FINE_BELOW = 1e9

/**
 * An amount as people read it. `locale` is the reader's (undefined: the runtime's default, as in
 * the browser); exports that are the same for every reader pass `'en-US'`.
 * @example formatAmount(99_999.99, 'en-US') // '99,999.99'
 */
export function formatAmount(value: number, locale?: string): string {
  const key = locale ?? ''
  let format = formats.get(key)
  if (!format) {
    format = {
      whole: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
      cents: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
      fine: new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 6 }),
    }
    formats.set(key, format)
  }
  // The cents from the fraction alone (exact): value × 100 is not, near 10^15 (QA q27c:
  // 999,999,999,999,999.00).
  const hundredths = (value - Math.trunc(value)) * 100
  // Finer than cents: every digit entered, not rounded to the cent (QA q32a: a KPI target of
  // 0.045 % read 0.05 %, and 0.121 → 0.124 read as no change).
  if (Math.abs(value) < FINE_BELOW && Math.abs(hundredths - Math.round(hundredths)) > 1e-6) return format.fine.format(value)
  // Whole when it has no cents; else both digits of them.
  return Math.round(hundredths) % 100 === 0 ? format.whole.format(value) : format.cents.format(value)
}

/**
 * A share (a fraction, 0.75) as people read it in every output: whole points when it is whole,
 * else one decimal, a space before the sign, the same for every reader. Never 100 % or 0 % unless
 * it is exactly that (QA q33b: "100 %" while a competitor supplied 0.4 %): a share within a tenth
 * of a point of either end reads "> 99.9 %" or "< 0.1 %". The Units CSV keeps the number.
 * @example formatShare(0.75) // '75 %'
 * @example formatShare(0.996) // '99.6 %'
 * @example formatShare(0.9999) // '> 99.9 %'
 */
export function formatShare(share: number): string {
  const tenths = Math.round(share * 1000)
  if (tenths >= 1000 && share < 1) return '> 99.9 %'
  if (tenths <= 0 && share > 0) return '< 0.1 %'
  return `${tenths % 10 === 0 ? tenths / 10 : (tenths / 10).toFixed(1)} %`
}
