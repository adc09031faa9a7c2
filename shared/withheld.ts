import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { SENSITIVE_FIELDS, type SensitiveField, type Sensitivity } from './sensitivity.ts'

/**
 * Card fields withheld from an audience (issue 13, docs/security.md [A36]): what a customer guest's
 * plan view, diff and snapshot boards carry so that every renderer (Markdown, CSV, PDF, the review
 * page, the snapshot canvas) leaves those fields out, label, column and all, instead of printing
 * the default a guest holds in their place ("Influence: Medium", "Neutral") as if it were the
 * team's read. One list, made in one place ({@link withheldFields}); renderers ask
 * {@link shownField}.
 */

/** A card field `<card type>.<prop>` that can be withheld (relationship kinds go whole, as lines). */
export type CardField = Exclude<SensitiveField, `relationship.${string}`>

/** Every card field, in display order. */
export const CARD_FIELDS = SENSITIVE_FIELDS.filter((field): field is CardField => !field.startsWith('relationship.'))

/** Validates a list of withheld card fields. */
export const WithheldSchema = lazySchema(() =>
  z.array(z.enum(CARD_FIELDS as [CardField, ...CardField[]])).describe('Card fields withheld from this audience (<card type>.<prop>): absent from every item, and left out of every rendering'), // a non-empty literal list
)
export type Withheld = z.infer<typeof WithheldSchema>

/** The props of cards of `Type` whose sensitivity a facilitator may choose. */
export type SensitiveProps<Type extends string> = CardField extends infer F ? (F extends `${Type}.${infer P}` ? P : never) : never

/** A plan item of cards of `Type` as one audience may see it: its withheld props are absent. */
export type Withholdable<T, Type extends string> = Omit<T, SensitiveProps<Type> & keyof T> & Partial<Pick<T, SensitiveProps<Type> & keyof T>>

/** The card fields a customer guest does not receive under `sensitivity`: its internal ones. */
export function withheldFields(sensitivity: Sensitivity): Withheld {
  return CARD_FIELDS.filter((field) => sensitivity[field] === 'internal')
}

/** Both lists in one, in display order; undefined when neither withholds anything. */
export function unionWithheld(a: Withheld | undefined, b: Withheld | undefined): Withheld | undefined {
  const all = new Set([...(a ?? []), ...(b ?? [])])
  return all.size === 0 ? undefined : CARD_FIELDS.filter((field) => all.has(field))
}

/**
 * `(prop) => false` for the props of cards of `type` that `withheld` lists: the question every
 * renderer asks before a label, column or value.
 * @example const shown = shownField(view.withheld, 'stakeholder'); if (shown('attitude')) lines.push(...)
 */
export function shownField(withheld: Withheld | undefined, type: string): (prop: string) => boolean {
  if (!withheld || withheld.length === 0) return () => true
  const hidden = new Set<string>(withheld)
  return (prop) => !hidden.has(`${type}.${prop}`)
}

/** `item` without the props of cards of `type` that `withheld` lists. */
export function withoutWithheld<T extends object, Type extends string>(item: T, type: Type, withheld: Withheld | undefined): Withholdable<T, Type> {
  const shown = shownField(withheld, type)
  return Object.fromEntries(Object.entries(item).filter(([key]) => shown(key))) as Withholdable<T, Type> // the same object less withheld keys
}

/**
 * A column of a table of plan items of one card type (Markdown, CSV): the prop it shows (null when
 * it shows no single card field, e.g. the id), its header, and its text for one item.
 */
export type Column<T> = readonly [prop: string | null, header: string, text: (item: T) => string]

/**
 * The columns of a table of items of cards of `type` that `withheld` leaves in: a withheld field
 * has no column at all, header included.
 * @example shownColumns([[null, 'Id', (s) => s.id], ['attitude', 'Attitude', …]], view.withheld, 'stakeholder')
 */
export function shownColumns<T>(columns: readonly Column<T>[], withheld: Withheld | undefined, type: string): Column<T>[] {
  const shown = shownField(withheld, type)
  return columns.filter(([prop]) => prop === null || shown(prop))
}
