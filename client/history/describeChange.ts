import type { BoardChange, ChangedRecord } from '../../shared/historyApi.ts'
import type { Role } from '../../shared/roles.ts'

/** Words for what a record is, singular and plural, by shape type. */
const NOUNS: Record<string, [string, string]> = {
  note: ['note', 'notes'],
  stakeholder: ['stakeholder card', 'stakeholder cards'],
  action: ['action card', 'action cards'],
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

/**
 * What a change did, after its author: "deleted 12 notes", "added 1 note, changed 2 notes",
 * "restored a snapshot (…)", "reverted a change (…)".
 */
export function describeChange(change: BoardChange): string {
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
