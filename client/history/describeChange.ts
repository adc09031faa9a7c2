import type { BoardChange, ChangedRecord } from '../../shared/historyApi.ts'
import type { Role } from '../../shared/roles.ts'
import { fieldLabel } from '../review/format.ts'

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

/** The card's own name (a stakeholder's name, an action's title...), if it has one. */
function cardName(record: ChangedRecord): string | null {
  const props = (record.after ?? record.before)?.props
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return null
  for (const key of ['name', 'title', 'objective']) {
    const value = (props as Record<string, unknown>)[key] // a record's props object
    if (typeof value === 'string' && value.trim() !== '') return value.trim().slice(0, 60)
  }
  return null
}

/** "set Attitude and Notes on 'Ana Silva'": one named card whose props alone changed. */
function describeFields(records: ChangedRecord[]): string | null {
  const [record] = records
  if (records.length !== 1 || !record?.before || !record.after) return null
  const name = cardName(record)
  const fields = changedFields(record.before, record.after)
  if (name === null || fields.length === 0 || !fields.every((field) => field.startsWith('props.'))) return null
  const labels = fields.map((field) => fieldLabel(field.slice('props.'.length)))
  const list = labels.length === 1 ? labels[0] : `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`
  return `set ${list} on '${name}'`
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
  const fields = describeFields(change.records)
  if (fields !== null && change.kind === 'edit') return fields
  const added = countShapes(change.records.filter((r) => r.before === null))
  const deleted = countShapes(change.records.filter((r) => r.after === null))
  const changed = countShapes(change.records.filter((r) => r.before !== null && r.after !== null))
  const parts = [added && `added ${added}`, deleted && `deleted ${deleted}`, changed && `changed ${changed}`].filter(Boolean)
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
