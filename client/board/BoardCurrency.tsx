import { useMemo } from 'react'
import { useValue, type Editor } from 'tldraw'
import { CURRENCY_META_KEY, currencyName, currencyOf, knownCurrencies } from '../../shared/currency.ts'
import type { Role } from '../../shared/roles.ts'

/** The currency of the amounts on the board `editor` shows (its page's meta), or null when none is set. */
export function useBoardCurrency(editor: Editor): string | null {
  return useValue('board currency', () => currencyOf(editor.getCurrentPage().meta).currency, [editor])
}

/** Codes listed first: the currencies account teams plan in most. */
const COMMON = ['EUR', 'USD', 'GBP', 'CHF', 'JPY', 'CNY', 'INR', 'CAD', 'AUD', 'SEK', 'NOK', 'DKK', 'PLN', 'BRL']

/**
 * The whitespace board's currency, in its toolbar: the facilitator picks it (the page record is
 * the board's structure, theirs alone, [R4]); everyone else reads "Amounts in EUR". Every amount of
 * the board, on its cards and in the plan's outputs, is then written with it (`shared/currency.ts`).
 */
export function BoardCurrency({ editor, role }: { editor: Editor; role: Role }) {
  const currency = useBoardCurrency(editor)
  const options = useMemo(() => {
    const known = knownCurrencies()
    const common = COMMON.filter((code) => known.has(code))
    const rest = [...known].filter((code) => !COMMON.includes(code)).sort()
    return [...common, ...rest].map((code) => ({ code, label: `${code} · ${currencyName(code)}` }))
  }, [])
  if (role !== 'facilitator') {
    return currency ? (
      <span className="board-currency" title={currencyName(currency)}>
        Amounts in {currency}
      </span>
    ) : null
  }
  const choose = (code: string) => {
    const page = editor.getCurrentPage()
    const meta: Record<string, unknown> = { ...page.meta }
    if (code === '') delete meta[CURRENCY_META_KEY]
    else meta[CURRENCY_META_KEY] = code
    editor.updatePage({ id: page.id, meta: meta as typeof page.meta }) // JSON values only
  }
  return (
    <label className="board-currency">
      Amounts in
      <select value={currency ?? ''} onChange={(event) => choose(event.target.value)} aria-label="Currency of the amounts on this board">
        <option value="">no currency set</option>
        {options.map(({ code, label }) => (
          <option key={code} value={code}>
            {label}
          </option>
        ))}
      </select>
    </label>
  )
}
