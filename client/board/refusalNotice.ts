/**
 * What a page says when the server refused one of its changes (4422, docs/server-rules.md [S26]):
 * the server's reason is written for logs and names records by id (`shape:y3h6…`), so the common
 * cases a person meets in a workshop are said in plain words, and ids never reach the notice.
 *
 * @example refusalNotice('shape:y3h6 holds internal field stakeholder.department') // 'The facilitator made “Department” internal as you changed it: …'
 */

import { BOARD_FULL_PREFIX } from '../../shared/protocol.ts'
import { LABELS, RELATIONSHIP_KINDS } from '../../shared/shapes.ts'
import { FIELD_LABELS } from '../access/fieldLabels.ts'
import type { LeftOut } from './replayAfterRefusal.ts'

/** Record ids as the server's reasons name them. */
const RECORD_ID = /\b(?:shape|binding|page|asset|instance):[\w-]+/g

/**
 * A field as the side panel names it: `stakeholder.department` → `Department`. A reason naming
 * only the prop (a server before card types were named) gets the first card field of that name,
 * or the prop in words (`buyingRole` → `buying role`).
 */
function fieldName(field: string): string {
  const labels: Readonly<Record<string, string>> = FIELD_LABELS
  const label = Object.hasOwn(labels, field) ? labels[field] : Object.entries(labels).find(([key]) => key.endsWith(`.${field}`))?.[1]
  return label ?? (field.split('.').pop() ?? field).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

/** Whether `reason` refuses a field made internal, the field it names (`action.owner`) and how a notice names it. */
function internalFieldIn(reason: string): { sensitivity: boolean; field: string | undefined; what: string } {
  const field = /holds internal field ([\w.]+)/.exec(reason)?.[1]
  return {
    sensitivity: field !== undefined || reason.includes('holds what is internal now'),
    field,
    what: field === undefined ? 'a field you changed' : `“${fieldName(field)}”`,
  }
}

export function refusalNotice(reason: string): string {
  const { sensitivity, what } = internalFieldIn(reason)
  if (sensitivity) {
    return `The facilitator made ${what} internal as you changed it: your last change there was not kept. The board was reloaded from the server.`
  }
  // A line of a kind that is internal: the page draws only customer-facing kinds, so the kind was
  // made internal as this person drew (or the page was behind); nobody marked anything.
  const kind = /relationship line of internal kind (\w+)/.exec(reason)?.[1]
  if (kind !== undefined) {
    const label = RELATIONSHIP_KINDS.find((known) => known === kind)
    const what = label === undefined ? 'That kind of relationship line is' : `“${LABELS.relationship[label]}” relationship lines are`
    return `${what} internal in this workshop, so your line was not kept. The board was reloaded from the server.`
  }
  // Only a record the team moved into the internal document as this person changed it is said so.
  if (/is an internal item|binds an internal item/.test(reason)) {
    return 'The team marked an item internal as you changed it: your change to it was not kept. The board was reloaded from the server.'
  }
  // [S28] the board holds as much as it may: say what to do, not only what failed.
  if (reason.startsWith(BOARD_FULL_PREFIX)) {
    const cap = reason.slice(BOARD_FULL_PREFIX.length).trim()
    return `This board is full (${cap}), so what you added was not kept. Delete items you no longer need, or use another board. The board was reloaded from the server.`
  }
  const plain = reason.replace(RECORD_ID, 'an item').trim()
  return `A change you made was not allowed${plain ? ` (${plain})` : ''}. The board was reloaded from the server without it.`
}

/**
 * What a page says once a refused copy's changes were made again on the fresh one
 * (replayAfterRefusal.ts): which of them were left out, with their values, or that all were kept.
 */
export function replayNotice(reason: string, leftOut: readonly LeftOut[], team: boolean): string {
  const { sensitivity, field, what } = internalFieldIn(reason)
  const cause = sensitivity ? `The facilitator made ${what} internal while you made your changes.` : refusalNotice(reason).replace(/ The board was reloaded from the server( without it)?\.$/, '')
  if (leftOut.length === 0) {
    // A team page routes each field by the sensitivity now: an internal one is kept, for the team.
    const kept = team && sensitivity && field !== undefined ? `, ${what} for the team only` : ''
    return `${cause} The board was reloaded from the server and your ${sensitivity ? 'changes' : 'other changes'} were made again${kept}.`
  }
  const list = leftOut.map(({ field: name, on, value }) => `${name} on ‘${on}’ (“${value.length > 80 ? `${value.slice(0, 80)}…` : value}”)`).join('; ')
  return `${cause} Not kept, as the customer does not see ${leftOut.length === 1 ? 'it' : 'them'}: ${list}. The board was reloaded from the server and your other changes were made again.`
}
