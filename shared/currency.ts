/**
 * The currency of the whitespace board's amounts (QA q33b: the board's values, totals and shares
 * of wallet were bare numbers in every output, so a reader could not tell EUR from USD). One per
 * board, set by the facilitator: the board's page record keeps it in its meta, where only the
 * facilitator may write ([R4], the page is a template record), and a guest reads it like the
 * board. Every output writes an amount of the board as "1,250,000.50 EUR", as an objective's
 * amount is written with its unit.
 */
import { formatAmount } from './formatAmount.ts'

/** The page meta key of the board's currency: an ISO 4217 code, or absent. */
export const CURRENCY_META_KEY = 'keyplanCurrency'

/** An ISO 4217 alphabetic code as written: three capital letters. */
export const CURRENCY_CODE = /^[A-Z]{3}$/

let known: ReadonlySet<string> | undefined

/**
 * The ISO 4217 codes this runtime knows (`Intl.supportedValuesOf`), sorted: what the facilitator
 * picks from. Read once.
 */
export function knownCurrencies(): ReadonlySet<string> {
  known ??= new Set(Intl.supportedValuesOf('currency'))
  return known
}

/** True when `value` is a currency code this runtime knows. */
export function isCurrencyCode(value: unknown): value is string {
  return typeof value === 'string' && CURRENCY_CODE.test(value) && knownCurrencies().has(value)
}

/**
 * The currency a board's page meta names: its code, null when none is set, or `invalid` with what
 * was stored when it is no known code (written by a client that is not Keyplan's page).
 */
export function currencyOf(meta: unknown): { currency: string | null; invalid?: string } {
  if (typeof meta !== 'object' || meta === null || !Object.hasOwn(meta, CURRENCY_META_KEY)) return { currency: null }
  const value: unknown = (meta as Record<string, unknown>)[CURRENCY_META_KEY] // own key, checked above
  if (value === null || value === undefined || value === '') return { currency: null }
  if (isCurrencyCode(value)) return { currency: value }
  return { currency: null, invalid: String(typeof value === 'string' ? value : JSON.stringify(value)).slice(0, 40) }
}

/**
 * An amount of the board as people read it: {@link formatAmount}, then the currency code when the
 * board has one. `locale` as for formatAmount.
 * @example amountIn(1_250_000.5, 'EUR', 'en-US') // '1,250,000.50 EUR'
 */
export function amountIn(value: number, currency: string | null | undefined, locale?: string): string {
  const amount = formatAmount(value, locale)
  return currency ? `${amount} ${currency}` : amount
}

/**
 * The name of a currency in `locale` ("Euro"), or the code when the runtime has no name for it.
 * @example currencyName('EUR', 'en-US') // 'Euro'
 */
export function currencyName(code: string, locale?: string): string {
  const key = locale ?? ''
  let names = currencyNames.get(key)
  if (!names) {
    names = new Intl.DisplayNames(locale === undefined ? undefined : [locale], { type: 'currency' })
    currencyNames.set(key, names)
  }
  try {
    return names.of(code) ?? code
  } catch {
    return code
  }
}

/** One currency-name formatter per locale: the facilitator's list names every code the runtime knows. */
const currencyNames = new Map<string, Intl.DisplayNames>()
