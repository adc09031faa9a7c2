import type { BoardChange, ChangedRecord, RevertResult } from '../../shared/historyApi.ts'
import type { Role } from '../../shared/roles.ts'
import { fieldLabel } from '../review/format.ts'
import { INTERNAL_FROM_PARENT_META_KEY, INTERNAL_META_KEY, isKeptFromGuest } from '../../shared/sensitivity.ts'

/** Words for what a record is, singular and plural, by shape type. */
const NOUNS: Record<string, [string, string]> = {
  note: ['note', 'notes'],
  stakeholder: ['stakeholder card', 'stakeholder cards'],
  action: ['action card', 'action cards'],
  objective: ['objective card', 'objective cards'],
  whitespace: ['whitespace cell', 'whitespace cells'],
  competitor: ['competitor card', 'competitor cards'],
  arrow: ['arrow', 'arrows'],
  frame: ['frame', 'frames'],
  text: ['text', 'texts'],
  geo: ['shape', 'shapes'],
}

const ROLE_NAMES: Record<Role | 'server' | 'unknown', string> = {
  facilitator: 'The facilitator',
  team: 'A team member',
  viewer: 'A viewer',
  guest: 'A guest',
  server: 'Keyplan',
  unknown: 'Someone',
}

function nounFor(record: ChangedRecord, count: number): string {
  const [one, many] = (record.type !== null ? NOUNS[record.type] : undefined) ?? ['item', 'items']
  return count === 1 ? one : many
}

/** "12 notes and 1 arrow": counts per kind of shape (bindings and other records are not shapes people see). */
function countShapes(records: ChangedRecord[]): string | null {
  const byType = new Map<string, { count: number; sample: ChangedRecord }>()
  for (const record of records) {
    if (record.typeName !== 'shape') continue
    const key = record.type ?? ''
    const entry = byType.get(key)
    if (entry) entry.count++
    else byType.set(key, { count: 1, sample: record })
  }
  if (byType.size === 0) return null
  const parts = [...byType.values()].map(({ count, sample }) => `${count} ${nounFor(sample, count)}`)
  return parts.length === 1 ? (parts[0] ?? null) : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`
}

/** Who made a change, as the history shows it. */
export function authorOf(change: BoardChange): string {
  return change.name ?? ROLE_NAMES[change.role]
}

type Json = Record<string, unknown>

/**
 * What changed between two versions of a record: `props.<key>` for each changed prop, the key for
 * any other top-level field (compared as JSON: records come from the server as JSON).
 */
function changedFields(before: Json, after: Json): string[] {
  const differs = (a: unknown, b: unknown) => JSON.stringify(a) !== JSON.stringify(b)
  const fields: string[] = []
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!differs(before[key], after[key])) continue
    const a = before[key]
    const b = after[key]
    if (key === 'props' && typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
      for (const prop of new Set([...Object.keys(a), ...Object.keys(b)])) {
        if (differs((a as Json)[prop], (b as Json)[prop])) fields.push(`props.${prop}`) // both are props objects
      }
    } else fields.push(key)
  }
  return fields
}

/** Longest name or text quoted in a history line. */
const MAX_QUOTE = 60

function quoteable(text: string): string | null {
  const line = text.replace(/\s+/gu, ' ').trim()
  if (line === '') return null
  return line.length > MAX_QUOTE ? `${line.slice(0, MAX_QUOTE - 1)}…` : line
}

/** The card's own name (a stakeholder's name, an action's title...), if it has one. */
function cardName(record: ChangedRecord): string | null {
  const props = (record.after ?? record.before)?.props
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return null
  for (const key of ['name', 'title', 'objective']) {
    const value = (props as Record<string, unknown>)[key] // a record's props object
    if (typeof value === 'string' && quoteable(value) !== null) return quoteable(value)
  }
  // A whitespace cell by its business unit × offering, as the plan names it (QA q28b: its lines named nothing).
  if (record.type === 'whitespace') {
    const { row, column } = props as { row?: unknown; column?: unknown } // a whitespace cell's props
    const parts = [row, column].filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    if (parts.length > 0) return quoteable(parts.join(' × '))
  }
  return null
}

/** The plain text of tldraw rich text (a TipTap document as JSON): its text nodes, a space between blocks. */
function plainText(node: unknown, depth = 0): string {
  if (typeof node !== 'object' || node === null || depth > 20) return ''
  const { text, content } = node as { text?: unknown; content?: unknown } // read defensively: stored JSON
  if (typeof text === 'string') return text
  return Array.isArray(content) ? content.map((child) => plainText(child, depth + 1)).join(depth === 0 ? ' ' : '') : ''
}

/**
 * What people call a shape in a history line: a card's name, a note's or a label's text, a frame's
 * name (as the change left it, or as it was before a delete).
 */
function shapeLabel(record: ChangedRecord): string | null {
  const named = cardName(record)
  if (named !== null) return named
  const props = (record.after ?? record.before)?.props
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return null
  const { richText } = props as { richText?: unknown } // a record's props object
  return quoteable(plainText(richText))
}

/** " 'A', 'B'": the labels of up to three shapes, when every one has a label; else nothing. */
function quoted(records: ChangedRecord[]): string {
  const shapes = records.filter((record) => record.typeName === 'shape')
  if (shapes.length === 0 || shapes.length > 3) return ''
  const labels = shapes.map(shapeLabel)
  return labels.every((label) => label !== null) ? ` ${labels.map((label) => `'${label}'`).join(', ')}` : ''
}

/** An item's internal marks: a change of only these marked it internal or visible. */
const MARK_KEYS: ReadonlySet<string> = new Set([INTERNAL_META_KEY, INTERNAL_FROM_PARENT_META_KEY])

/** True when a record changed only in its internal marks (its `meta`'s mark keys). */
function onlyMarkChanged(before: Json, after: Json): boolean {
  const fields = changedFields(before, after)
  if (fields.length !== 1 || fields[0] !== 'meta') return false
  const object = (value: unknown): Json => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {}) // a record's meta object
  const [a, b] = [object(before.meta), object(after.meta)]
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((key) => MARK_KEYS.has(key) || JSON.stringify(a[key]) === JSON.stringify(b[key]))
}

/** True when a guest's delete turned the record into the internal copy kept for the team ([A40]). */
function keptFromDelete({ before, after }: ChangedRecord): boolean {
  return before !== null && after !== null && isKeptFromGuest(after) && !isKeptFromGuest(before)
}

/** A shape's place: a change of only these moved it. */
const PLACE_FIELDS = new Set(['parentId', 'x', 'y', 'index', 'rotation'])

/** "set Attitude and Notes on 'Ana Silva'": one named card whose props alone changed. */
function describeFields(records: ChangedRecord[]): string | null {
  const [record] = records
  if (records.length !== 1 || !record?.before || !record.after) return null
  const name = cardName(record)
  const changed = changedFields(record.before, record.after)
  // An action dragged to another column changes its place and its status: "set Status on 'X' and moved it" (QA q28b).
  const fields = changed.filter((field) => !PLACE_FIELDS.has(field))
  const moved = fields.length < changed.length
  if (name === null || fields.length === 0 || !fields.every((field) => field.startsWith('props.'))) return null
  const labels = fields.map((field) => fieldLabel(field.slice('props.'.length)))
  const list = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
  return `set ${list} on '${name}'${moved ? ' and moved it' : ''}`
}

/**
 * True when all a change did was internal (issue 13): internal items, or internal fields of
 * visible cards. Guests never see such a change; the team's history marks it.
 */
export function isInternalChange(change: BoardChange): boolean {
  return (
    change.records.length > 0 &&
    change.records.every(({ before, after, internal }) => {
      if (!internal) return false
      if (internal.item) return true
      if (!before || !after) return false
      return changedFields(before, after).every((field) => internal.fields.includes(field))
    })
  )
}

/**
 * What a change did, after its author: "deleted 12 notes", "added 1 note, changed 2 notes",
 * "set Attitude on 'Ana Silva'", "restored a snapshot (…)", "reverted a change (…)".
 */
export function describeChange(change: BoardChange): string {
  // [A40] A guest's delete of a card the team wrote internal notes on leaves the team an internal copy: a delete.
  const keptRecords = change.records.filter(keptFromDelete)
  const records = keptRecords.length > 0 ? change.records.filter((r) => !keptRecords.includes(r)) : change.records
  const fields = describeFields(records)
  if (fields !== null && keptRecords.length === 0 && change.kind === 'edit') return fields
  const addedRecords = records.filter((r) => r.before === null)
  const deletedRecords = [...records.filter((r) => r.after === null), ...keptRecords]
  const changedRecords = records.filter((r) => r.before !== null && r.after !== null)
  const kept = keptRecords.length === 0 ? '' : ` (${keptRecords.length === deletedRecords.length ? '' : `${keptRecords.length} `}kept for the team as internal: ${keptRecords.length === 1 ? 'it holds' : 'they hold'} the team's notes)`
  const added = countShapes(addedRecords)
  const deleted = countShapes(deletedRecords)
  const changed = countShapes(changedRecords)
  // Moved: every shape changed only in its place.
  const moved = changedRecords.every((r) => {
    if (r.typeName !== 'shape') return true
    const fields = r.before && r.after ? changedFields(r.before, r.after) : []
    return fields.length > 0 && fields.every((field) => PLACE_FIELDS.has(field))
  })
  // Marked internal or visible: every record changed only in its mark (QA q28b: it read "changed").
  const marks = changedRecords.map((r) => (r.before && r.after && onlyMarkChanged(r.before, r.after) ? r.after.meta : undefined))
  const marked = changedRecords.length > 0 && marks.every((meta) => meta !== undefined)
  const internalNow = marks.every((meta) => (meta as Record<string, unknown> | undefined)?.[INTERNAL_META_KEY] === true) // a record's meta object
  const changedWords = marked ? (internalNow ? `marked ${changed}${quoted(changedRecords)} internal` : `made ${changed}${quoted(changedRecords)} visible`) : `${moved ? 'moved' : 'changed'} ${changed}${quoted(changedRecords)}`
  const parts = [
    added && `added ${added}${quoted(addedRecords)}`,
    deleted && `deleted ${deleted}${quoted(deletedRecords)}${kept}`,
    changed && changedWords,
  ].filter(Boolean)
  const what = parts.length > 0 ? parts.join(', ') : 'changed the board'
  if (change.kind === 'restore') return `restored a snapshot (${what})`
  if (change.kind === 'revert') return `reverted a change (${what})`
  return what
}

/** "just now", "2 min ago", "3 h ago", else the date and time. */
export function timeAgo(at: string, now: number = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(at)) / 1000))
  if (seconds < 60) return 'just now'
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`
  return new Date(at).toLocaleString()
}

/** What the last revert did, in words. */
export function revertSummary(result: RevertResult): string {
  // Counted by item, not by field: a note moved again since is one item, not its x and its y.
  const orphans = new Set(result.conflicts.filter((c) => c.reason === 'parent_gone').map((c) => c.recordId))
  const internal = new Set(result.conflicts.filter((c) => c.reason === 'stays_internal').map((c) => c.recordId))
  const changed = new Set(result.conflicts.filter((c) => c.reason !== 'parent_gone' && c.reason !== 'stays_internal' && !orphans.has(c.recordId)).map((c) => c.recordId))
  const items = (n: number) => `${n} ${n === 1 ? 'item' : 'items'}`
  // Items the person sees: a line's two ends (its bindings) are part of the line, not items of their own.
  const shapes = result.change?.records.filter((record) => record.typeName === 'shape').length ?? 0
  const said = [result.reverted === 0 ? 'Nothing to revert.' : `Reverted ${items(shapes > 0 ? shapes : result.reverted)}.`]
  if (changed.size > 0) said.push(`${items(changed.size)} ${changed.size === 1 ? 'was' : 'were'} changed again since and left as ${changed.size === 1 ? 'it is' : 'they are'}.`)
  if (orphans.size > 0) {
    said.push(`${items(orphans.size)} ${orphans.size === 1 ? 'was' : 'were'} not put back: the frame or cards ${orphans.size === 1 ? 'it belongs' : 'they belong'} to were deleted since. Revert that delete first.`)
  }
  if (internal.size > 0) said.push(`${items(internal.size)} ${internal.size === 1 ? 'stays' : 'stay'} internal: a revert never shows the customer what the team made internal.`)
  return said.join(' ')
}
