/**
 * Which card fields the page marks internal (issue 13, [C11]): the workshop's sensitivity as it is
 * now, provided around a team page's board and side panel. Null on a guest's page and in "View as
 * customer": they show no marker for fields they never receive.
 */
import { createContext, useContext } from 'react'
import { SENSITIVE_FIELDS, isInternalField, type Sensitivity } from '../../shared/sensitivity.ts'
import type { Withheld } from '../../shared/withheld.ts'

/** The sensitivity the markers follow; null where nothing is marked. */
export const FieldSensitivityContext = createContext<Sensitivity | null>(null)

/**
 * True on a guest's page and in "View as customer": the side panel leaves internal fields out
 * (their values never reach a guest, and the server refuses a guest's write of one, [A31]).
 */
export const HideInternalFieldsContext = createContext(false)

/** `(prop) => true` when the prop of cards of `type` is internal here and now. */
export function useInternalFields(type: string): (prop: string) => boolean {
  const sensitivity = useContext(FieldSensitivityContext)
  return (prop) => sensitivity !== null && isInternalField(sensitivity, type, prop)
}

/**
 * `(prop) => false` for the props of cards of `type` that a guest's page and "View as customer" leave
 * off the cards: a guest holds such a field only at its default ("Medium influence", "Neutral"),
 * which a card would show as if it were our read.
 */
export function useShownFields(type: string): (prop: string) => boolean {
  const sensitivity = useContext(FieldSensitivityContext)
  const hide = useContext(HideInternalFieldsContext)
  return (prop) => !hide || sensitivity === null || !isInternalField(sensitivity, type, prop)
}

/**
 * The sensitivity under which exactly the `withheld` card fields are internal: what a guest's
 * snapshot canvas hides by ([A36]), the fields that were internal when the snapshot was taken.
 */
export function withheldSensitivity(withheld: Withheld): Sensitivity {
  const hidden = new Set<string>(withheld)
  return Object.fromEntries(SENSITIVE_FIELDS.map((field) => [field, hidden.has(field) ? 'internal' : 'visible'])) as Sensitivity // one entry per sensitive field
}
