import { SWOT_QUADRANTS, type PlanView, type Swot } from './plan.ts'

/**
 * How people read the links between plan items. The plan record links items by shape id (an
 * objective's `actions` and `addresses`); every output a person reads (review page, Markdown, PDF,
 * CSV) names the linked item instead: an action by its title, a SWOT note by its first line.
 */

/** An action with an empty title. */
export const UNTITLED_ACTION = '(untitled action)'
/** A SWOT note with no text. */
export const EMPTY_NOTE = '(empty note)'

/** What a card's name or title reads where it is withheld from the reader (absent from its view), as on the canvas. */
export const NOT_SHARED = { action: 'Title not shared', objective: 'Objective not shared', stakeholder: 'Name not shared', competitor: 'Name not shared' } as const

/**
 * A card's name or title as a person reads it: the text; `empty` when it is blank; "Title not
 * shared" (and so on) when it is withheld from this reader, i.e. absent from the view (QA q29b: a
 * guest's exports said "(untitled)", as if the team had left its cards untitled).
 * @example titleOf('action', undefined, '(untitled)') // 'Title not shared'
 */
export function titleOf(card: keyof typeof NOT_SHARED, value: string | undefined, empty: string): string {
  if (value === undefined) return NOT_SHARED[card]
  return value.trim() === '' ? empty : value
}

/** The first non-blank line of a note, trimmed: what a person sees first on the sticky. */
export function firstLine(text: string): string {
  return text.split(/\r\n|\r|\n/).map((line) => line.trim()).find((line) => line !== '') ?? ''
}

/** Names of the items a plan's links point to, by id. */
export interface LinkNames {
  /** The titles of the actions an objective lists, in its order; absent when the view hides the action plan. */
  actions(ids: readonly string[]): string[] | undefined
  /** The first lines of the SWOT notes an objective answers, in its order; absent when the view hides the SWOT. */
  notes(ids: readonly string[]): string[] | undefined
}

/**
 * Looks up the names of linked items in a plan (or a customer's view of it). An id the plan does
 * not hold (a link the extraction kept though the item is gone) is left out rather than printed
 * as a raw shape id.
 * @example
 * const names = linkNames(plan)
 * names.actions(objective.actions) // ['Send proposal', 'Renewal plan']
 * names.notes(objective.addresses) // ['Globex undercuts on price']
 */
export function linkNames(plan: { actions?: readonly { id: string; title?: string | undefined }[] | undefined; swot?: Swot | undefined }): LinkNames {
  // A title withheld from the view ([A36]) reads like an empty one.
  const actions = plan.actions && new Map(plan.actions.map((a) => [a.id, titleOf('action', a.title, UNTITLED_ACTION).trim()]))
  const notes =
    plan.swot &&
    new Map(
      [...SWOT_QUADRANTS, 'unsorted' as const].flatMap((quadrant) => plan.swot?.[quadrant] ?? []).map((note) => [note.id, firstLine(note.text) || EMPTY_NOTE]),
    )
  const names = (map: Map<string, string> | undefined, ids: readonly string[]) =>
    map && ids.flatMap((id) => {
      const name = map.get(id)
      return name === undefined ? [] : [name]
    })
  return { actions: (ids) => names(actions, ids), notes: (ids) => names(notes, ids) }
}

/**
 * What each named item of `plan` is called, by id, as this plan shows it (a label withheld from its
 * audience reads "… not shared"): SWOT notes by their first line, stakeholders, actions, objectives
 * and competitors by their names or titles, whitespace cells by their unit and offering.
 */
export function planItemNames(plan: PlanView): Map<string, string> {
  const names = new Map<string, string>()
  const add = <T extends { id: string }>(items: readonly T[] | undefined, name: (item: T) => string) => {
    for (const item of items ?? []) names.set(item.id, name(item))
  }
  for (const quadrant of [...SWOT_QUADRANTS, 'unsorted' as const]) add(plan.swot?.[quadrant], (note) => firstLine(note.text) || EMPTY_NOTE)
  add(plan.stakeholders, (person) => titleOf('stakeholder', person.name, 'Unnamed stakeholder').trim())
  add(plan.actions, (action) => titleOf('action', action.title, UNTITLED_ACTION).trim())
  add(plan.objectives, (objective) => titleOf('objective', objective.objective, 'Untitled objective').trim())
  add(plan.competitors, (competitor) => titleOf('competitor', competitor.name, 'Unnamed competitor').trim())
  add(plan.whitespace?.cells, (cell) => `${cell.row || '—'} × ${cell.column || '—'}`)
  add(plan.notes, (note) => firstLine(note.text) || EMPTY_NOTE)
  return names
}
