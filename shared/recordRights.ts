/**
 * Who may change which records of a board, as pure functions shared by the server, which
 * enforces them on every update (`server/sync/checkRecordOps.ts`, `docs/server-rules.md`
 * [R4]–[R7]), and the page, which uses the same rules so an honest user never meets a refusal.
 *
 * @example
 * ```ts
 * const eve = { role: 'guest', userId: 'user:eve', keyId: participantKeyId(evesKey) }
 * const note = { ...record, meta: { ...record.meta, [CREATOR_META_KEY]: creatorStamp(eve) } }
 * mayDeleteRecord(eve, note) // true
 * mayDeleteRecord({ role: 'guest', userId: 'user:eve' }, note) // false: Eve's user id without her key
 * ```
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type { BoardId } from './boards.ts'
import { RoleSchema, type Role } from './roles.ts'
import { templateRecords } from './templates.ts'

/** Key in a shape's or binding's `meta` that names who created it ({@link RecordCreator}). */
export const CREATOR_META_KEY = 'keyplanCreator'

/**
 * Who created a record: the role and user id of the connection that created it, and the key id
 * of its secret key (`shared/participantKey.ts`) when it had one and named it.
 */
export type RecordCreator = { role: Role; userId: string; keyId?: string }

/**
 * Someone who writes to a board: the role of their link, their user id (`user:…`), and the key
 * id of the secret key their connection presented (absent without one, [S29]).
 */
export type BoardEditor = { role: Role; userId: string; keyId?: string | undefined }

/** Record types whose creator is tracked: the content people add. */
const STAMPED_TYPES: ReadonlySet<string> = new Set(['shape', 'binding'])

/** True for record types that carry {@link CREATOR_META_KEY}: shapes and bindings. */
export function isStampedType(typeName: unknown): boolean {
  return typeof typeName === 'string' && STAMPED_TYPES.has(typeName)
}

/** The `meta[CREATOR_META_KEY]` value for records `editor` creates: its role, user id and key id. */
export function creatorStamp(editor: BoardEditor): JsonObject {
  return editor.keyId === undefined ? { role: editor.role, userId: editor.userId } : { role: editor.role, userId: editor.userId, keyId: editor.keyId }
}

/** The raw creator stamp of a record (`undefined` when it has none). */
export function rawCreatorStamp(record: JsonObject): JsonValue | undefined {
  const meta = Object.hasOwn(record, 'meta') ? record.meta : undefined
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta) || !Object.hasOwn(meta, CREATOR_META_KEY)) return undefined
  return meta[CREATOR_META_KEY]
}

/**
 * Who created `record`. Records without a well-formed stamp (templates, boards from before
 * creators were tracked, server writes) count as created by the team.
 */
export function creatorOf(record: JsonObject): RecordCreator {
  const stamp = rawCreatorStamp(record)
  if (typeof stamp === 'object' && stamp !== null && !Array.isArray(stamp)) {
    const role = RoleSchema.safeParse(stamp.role)
    if (role.success && typeof stamp.userId === 'string') {
      return typeof stamp.keyId === 'string' ? { role: role.data, userId: stamp.userId, keyId: stamp.keyId } : { role: role.data, userId: stamp.userId }
    }
  }
  return { role: 'team', userId: '' }
}

/**
 * True when the stamp `value` names `editor`: its role and user id, and either its key id or no
 * key id (no other keys). A stamp without the key id is the editor's too (pages from before key
 * ids wrote it), but no guest may delete what it stamps ({@link mayDeleteRecord}).
 */
export function isStampOf(value: JsonValue | undefined, editor: BoardEditor): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  if (value.role !== editor.role || value.userId !== editor.userId) return false
  const keys = Object.keys(value).length
  if (keys === 2) return true
  return keys === 3 && Object.hasOwn(value, 'keyId') && editor.keyId !== undefined && value.keyId === editor.keyId
}

const templateIds = new Map<BoardId, ReadonlySet<string>>()

/**
 * Ids of a board's template records (`shared/templates.ts`: the document, the page, the SWOT
 * quadrants or the status columns). Only the facilitator may change or delete them ([R4]).
 */
export function templateRecordIds(board: BoardId): ReadonlySet<string> {
  let ids = templateIds.get(board)
  if (!ids) templateIds.set(board, (ids = new Set(templateRecords(board).map((record) => String(record.id)))))
  return ids
}

/** Whether `role` may change or delete the template records of a board (facilitator only). */
export function mayChangeTemplates(role: Role): boolean {
  return role === 'facilitator'
}

/**
 * Whether `editor` may delete `record` (not a template; see {@link templateRecordIds}). The
 * facilitator and the team may delete any content; a guest only what that same guest created,
 * proven by its key: the stamp names the guest's user id *and* the key id of the key its
 * connection presented ([R7]). The user id alone is public (every presence shows it), so a stamp
 * without a key id is deleted by no guest.
 */
export function mayDeleteRecord(editor: BoardEditor, record: JsonObject): boolean {
  if (editor.role !== 'guest') return editor.role !== 'viewer'
  const creator = creatorOf(record)
  return creator.role === 'guest' && creator.userId === editor.userId && editor.keyId !== undefined && creator.keyId === editor.keyId
}
