/**
 * Change history routes under `/api/workshops/:id/boards/:board` (issue 11; rules [H4]–[H7] in
 * docs/server-rules.md):
 * - `GET  /changes?cursor=&limit=` → `{ changes, nextCursor }`, newest first (facilitator, team,
 *   viewer; a guest on a board customer-facing now, and only changes recorded while it was);
 * - `POST /changes/:changeId/revert` → the revert result (facilitator).
 * Every route needs a token of the workshop ([A1]).
 */
import type { JsonObject } from '@tldraw/utils'
import { Hono, type Context } from 'hono'
import { WorkshopIdSchema } from '../../shared/api.ts'
import { BoardIdSchema, type BoardId } from '../../shared/boards.ts'
import {
  ChangeIdSchema,
  ChangeListQuerySchema,
  MAX_CHANGES_PAGE,
  canReadHistory,
  canRevertChange,
  RevertBodySchema,
  type BoardChange,
  type ChangedRecord,
  type ChangeList,
  type ChangeListQuery,
  type StoredRecord,
  type RevertResult,
} from '../../shared/historyApi.ts'
import { customerSafeRecord, fieldDefault, insideHidden, isInternalRecord, resolveSensitivity, type Sensitivity } from '../../shared/sensitivity.ts'
import type { AuthGuards, AuthVariables } from '../auth/middleware.ts'
import { ServerChange, type HistoryRecorder } from '../history/HistoryRecorder.ts'
import { planRevert } from '../history/planRevert.ts'
import { readBoardRecords, writeBoardRecords } from '../sync/writeBoardRecords.ts'
import { readRecords, readStoredSchema, recordIds } from '../../shared/docLayout.ts'
import type { Logger } from '../log.ts'
import { CorruptRecordError, type Store } from '../store/Store.ts'
import type { RoomManager } from '../sync/RoomManager.ts'
import { HttpError, parseOptionalJsonBody, parseWith } from './errors.ts'

export type HistoryRoutesDeps = {
  store: Store
  rooms: RoomManager
  history: HistoryRecorder
  guards: Pick<AuthGuards, 'workshop' | 'role'>
  log: Logger
}

type Env = { Variables: AuthVariables }

/** Routes mounted at `/api/workshops`. */
export function historyRoutes(deps: HistoryRoutesDeps): Hono<Env> {
  const { store, rooms, history, guards, log } = deps

  /** The board param, after checking the caller may read its history ([H6]). */
  const readableBoard = (c: Context<Env>): BoardId => {
    const board = parseWith(BoardIdSchema, c.req.param('board'), 'invalid_param')
    const { role, access } = c.get('workshopAuth')
    if (!canReadHistory(role, board, access.customerFacing)) throw new HttpError(403, 'forbidden', 'your role may not see this board')
    return board
  }

  return new Hono<Env>()
    .use('/:id/boards/*', validWorkshop, guards.workshop())
    .get('/:id/boards/:board/changes', async (c) => {
      const board = readableBoard(c)
      const query = parseWith(ChangeListQuerySchema, c.req.query(), 'invalid_query')
      const { workshopId, role } = c.get('workshopAuth')
      // [H5] the newest page closes the board's open changes first, so it shows every edit so far.
      if (query.cursor === undefined) await history.flushBoard(workshopId, board)
      if (role !== 'guest') return c.json(await store.listChanges(workshopId, board, query))
      const sensitivity = resolveSensitivity(c.get('workshopAuth').access.sensitivity)
      // [A36] no change of a record that is internal now or was internal in any change kept.
      const hidden = await hiddenFromGuests(store, rooms, workshopId, board, sensitivity)
      // [H6] a guest never sees what was recorded while the board was internal; [A36] nor an
      // internal field or item, even of changes recorded before issue 13.
      const body = await guestPage(store, workshopId, board, query, (change) => (change.customerFacing ? customerSafeChange(change, sensitivity, hidden) : null))
      return c.json(body)
    })
    .post('/:id/boards/:board/changes/:changeId/revert', guards.role(canRevertChange), async (c) => {
      const board = readableBoard(c)
      const changeId = parseWith(ChangeIdSchema, c.req.param('changeId'), 'invalid_param')
      const { by } = await parseOptionalJsonBody(c, RevertBodySchema)
      const { workshopId, role } = c.get('workshopAuth')
      // [A21] an archived workshop's boards are read-only, a revert too (QA q28b), as a restore is.
      if ((await store.getWorkshop(workshopId))?.archivedAt !== undefined) throw new HttpError(409, 'workshop_archived', 'the workshop is archived; unarchive it to revert a change')
      const change = await readChange(store, workshopId, board, changeId)
      const changedSince = await deletedRecordsTouchedSince(store, workshopId, board, change)
      const result = await rooms.withRoom(workshopId, board, async (room): Promise<RevertResult> => {
        // Planned and written with no await in between: nobody's edit slips between the two. The
        // board's two documents are reverted as one (issue 13): internal fields and items too.
        const plan = planRevert(readStoredSchema(room.doc), readBoardRecords(room), change, changedSince)
        if (!plan.ok) throw new HttpError(409, 'revert_refused', plan.reason)
        if (plan.reverted === 0) return { change: null, reverted: 0, conflicts: plan.conflicts }
        const origin = new ServerChange('revert', change.id, { role, name: by ?? null })
        try {
          await writeBoardRecords(room, plan.changes, origin)
        } finally {
          origin.finish()
        }
        await history.settled()
        const made = await store.getChange(workshopId, board, origin.id)
        return { change: made ?? null, reverted: plan.reverted, conflicts: plan.conflicts }
      })
      log.info('history.reverted', { room: `${workshopId}/${board}`, change: changeId, by: result.change?.id, conflicts: result.conflicts.length })
      return c.json(result)
    })
}

/**
 * A page of the changes a guest may see ([H6], [A36]): `visible` turns each stored change into
 * what the guest sees of it, or null. Pages are filled from older changes and the cursor is that
 * of the last change read, so a guest's page never shows that a change was left out (no short or
 * empty pages where changes were hidden, no "older" link that leads to nothing).
 */
async function guestPage(
  store: Store,
  workshopId: string,
  board: BoardId,
  query: ChangeListQuery,
  visible: (change: BoardChange) => BoardChange | null,
): Promise<ChangeList> {
  const changes: BoardChange[] = []
  let cursor = query.cursor
  let nextCursor: string | null = null
  while (changes.length < query.limit) {
    // Read only as many as still fit, so the cursor of the last one read is the page's cursor.
    const page = await store.listChanges(workshopId, board, { cursor, limit: query.limit - changes.length })
    for (const change of page.changes) {
      const shown = visible(change)
      if (shown) changes.push(shown)
    }
    nextCursor = page.nextCursor
    if (nextCursor === null) break
    cursor = nextCursor
  }
  // An "older" link only when an older change is one the guest may see.
  while (nextCursor !== null) {
    const page = await store.listChanges(workshopId, board, { cursor: nextCursor, limit: MAX_CHANGES_PAGE })
    if (page.changes.some((change) => visible(change) !== null)) break
    nextCursor = page.nextCursor
  }
  return { changes, nextCursor }
}

/** True when the change recorded `record` as internal, or it is internal by `sensitivity` before or after. */
function wasInternal({ before, after, internal }: BoardChange['records'][number], sensitivity: Sensitivity): boolean {
  return internal?.item === true || [before, after].some((record) => record !== null && isInternalRecord(record as JsonObject, sensitivity)) // stored records are JSON
}

/** The parent ids a changed record had before and after the change. */
function parentsOf({ before, after }: BoardChange['records'][number]): string[] {
  return [before, after].flatMap((record) => (record !== null && typeof record.parentId === 'string' ? [record.parentId] : []))
}

/**
 * [A36] The records whose changes a guest's history leaves out, whenever made: those internal now
 * (the internal document's items, and what the shared document holds inside them, [A39]) and
 * those any kept change recorded as internal. A record made internal after it was created would
 * otherwise leave its creation listed for an item the guest never finds, which tells an internal
 * item exists (QA, 2026-12-05: a note created, marked internal a few seconds later).
 */
async function hiddenFromGuests(store: Store, rooms: RoomManager, workshopId: string, board: BoardId, sensitivity: Sensitivity): Promise<Set<string>> {
  const hidden = await rooms.withRoom(workshopId, board, (room) => {
    const items = new Set(room.internal ? recordIds(room.internal.doc) : [])
    return new Set([...items, ...insideHidden(readRecords(room.doc), items)])
  })
  let cursor: string | undefined
  do {
    const page = await store.listChanges(workshopId, board, { cursor, limit: MAX_CHANGES_PAGE })
    for (const change of page.changes) for (const record of change.records) if (wasInternal(record, sensitivity)) hidden.add(record.id)
    cursor = page.nextCursor ?? undefined
  } while (cursor !== undefined)
  return hidden
}

/**
 * [A36] A change as a guest may see it: internal items and fields left out, judged by the
 * sensitivity now, by what was internal when it was recorded, and by `hidden`
 * ({@link hiddenFromGuests}); null when nothing is left.
 */
function customerSafeChange(change: BoardChange, sensitivity: Sensitivity, hidden: ReadonlySet<string>): BoardChange | null {
  // `hidden` holds what every change read for it recorded as internal; one appended since adds to it.
  const added = change.records.filter((record) => !hidden.has(record.id) && wasInternal(record, sensitivity)).map((record) => record.id)
  const internalIds: ReadonlySet<string> = added.length === 0 ? hidden : new Set([...hidden, ...added])
  const records: ChangedRecord[] = []
  for (const { internal, ...record } of change.records) {
    // [A39] nor what was inside an internal item.
    if (internalIds.has(record.id) || parentsOf(record).some((parent) => internalIds.has(parent))) continue
    const safe = (value: StoredRecord | null) =>
      value === null ? null : atDefaults(customerSafeRecord(value as JsonObject, sensitivity, internalIds), internal?.fields ?? []) // stored records are JSON
    const before = safe(record.before)
    const after = safe(record.after)
    if ((record.before !== null && before === null) || (record.after !== null && after === null)) continue
    if (JSON.stringify(before) === JSON.stringify(after)) continue
    records.push({ ...record, before: before as StoredRecord | null, after: after as StoredRecord | null }) // the same records, fields reset
  }
  return records.length === 0 ? null : { ...change, records }
}

/** `record` with each of `fields` (`props.attitude`) at its default, as the shared document held it. */
function atDefaults(record: JsonObject | null, fields: readonly string[]): JsonObject | null {
  if (record === null || fields.length === 0 || typeof record.type !== 'string') return record
  const props = record.props
  if (typeof props !== 'object' || props === null || Array.isArray(props)) return record
  const reset: JsonObject = { ...props }
  for (const field of fields) {
    const prop = field.startsWith('props.') ? field.slice('props.'.length) : undefined
    const value = prop === undefined ? undefined : fieldDefault(record.type, prop)
    if (prop !== undefined && Object.hasOwn(reset, prop)) reset[prop] = value ?? null
  }
  return { ...record, props: reset }
}

/** 400 for a malformed workshop id: a question of syntax, answered before any lookup. */
async function validWorkshop(c: Context<Env>, next: () => Promise<void>): Promise<void> {
  parseWith(WorkshopIdSchema, c.req.param('id'), 'invalid_param')
  await next()
}

/** The stored change; 404 when unknown, 500 `corrupt_change` when it fails validation. */
async function readChange(store: Store, workshopId: string, board: BoardId, changeId: string): Promise<BoardChange> {
  let change: BoardChange | undefined
  try {
    change = await store.getChange(workshopId, board, changeId)
  } catch (error) {
    if (error instanceof CorruptRecordError) throw new HttpError(500, 'corrupt_change', 'this change is damaged and cannot be read')
    throw error
  }
  if (!change) throw new HttpError(404, 'not_found', 'no change with this id on this board')
  return change
}

/**
 * Of the records `change` deleted, those a later change of the board touched (put back, then
 * deleted again, say): read from the newer changes, newest first, until `change` itself. Nothing
 * is read for a change that deleted nothing.
 */
async function deletedRecordsTouchedSince(store: Store, workshopId: string, board: BoardId, change: BoardChange): Promise<Set<string>> {
  const deleted = new Set(change.records.filter((record) => record.before !== null && record.after === null).map((record) => record.id))
  const touched = new Set<string>()
  if (deleted.size === 0) return touched
  let cursor: string | undefined
  for (let pages = 0; pages < MAX_PAGES_READ; pages++) {
    const page = await store.listChanges(workshopId, board, { cursor, limit: MAX_CHANGES_PAGE })
    for (const later of page.changes) {
      if (later.id === change.id || later.at < change.at) return touched
      for (const record of later.records) if (deleted.has(record.id)) touched.add(record.id)
    }
    if (page.nextCursor === null) return touched
    cursor = page.nextCursor
    // SQLite answers at once: other work runs between pages, not after the whole history.
    await new Promise((resolve) => setImmediate(resolve))
  }
  return touched // a change older than this many pages: judged by what these hold
}

/** The most pages of newer changes a revert reads (100 each): the board's last 5,000 changes. */
const MAX_PAGES_READ = 50
