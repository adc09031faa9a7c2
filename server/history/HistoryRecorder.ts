/**
 * Records each loaded board's change history ([H1]–[H3], [H8], [H10]): follows every transaction of the
 * room's document with `observeRecordIds`, computes per record what it was before and after, and
 * attributes it to its writer (the sending connection, one sender of a batch, or the server).
 * One writer's edits are coalesced until they pause for `idleMs` (at most `maxMs` in all), so a
 * drag is one change; each change is then stored with the writer's role and display name. Open
 * changes are journaled in the store meanwhile, so that a crash loses none of them.
 *
 * @example
 * ```ts
 * const history = new HistoryRecorder({ store, log, idleMs: 2_000, maxMs: 30_000, retentionDays: 30 })
 * // RoomManager options: onRoomLoaded: (room) => history.roomLoaded(room),
 * //                      beforeUnload: (room) => history.roomUnloading(room)
 * // when a sync connection is admitted: rememberConnectionRole(conn, auth.role)
 * ```
 */
import { randomBytes } from 'node:crypto'
import type { JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import type { BoardId } from '../../shared/boards.ts'
import { readMergedRecord } from '../../shared/boardParts.ts'
import { hasRecord, observeOverlays, observeRecordIds, readOverlays, readRecordKept, readRecordsKept, recordIds, type RecordChanges } from '../../shared/docLayout.ts'
import type { BoardChange, ChangeAuthorRole, ChangeKind, ChangedRecord } from '../../shared/historyApi.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { internalPropsOf, isInternalRecord, isKeptFromGuest, mergeParts, type Sensitivity } from '../../shared/sensitivity.ts'
import type { Logger } from '../log.ts'
import { participantNames } from '../snapshot/participants.ts'
import type { Store } from '../store/Store.ts'
import { Connection } from '../sync/Connection.ts'
import { PARTS_ORIGIN, REMOTE_ORIGIN, SERVER_ORIGIN, type Room } from '../sync/Room.ts'
import { addToPending, changedRecords, type OpenRecords } from './openChange.ts'
import { jsonEqual } from './recordFields.ts'

export type HistoryRecorderOptions = {
  store: Store
  log: Logger
  /** A writer's change closes once they paused this long ([H2]). */
  idleMs: number
  /** ...or once it is this old, however busy they are. */
  maxMs: number
  /** Changes older than this many days are deleted ([H8]). */
  retentionDays: number
  /** [H10] An open change that grew is journaled at most this often (1,000 ms by default). */
  journalMs?: number
  /**
   * [H10] Other instances share the store (PostgreSQL): only journal rows no live instance can
   * still be writing are recovered, at start and then periodically. Otherwise this process alone
   * writes the store (SQLite: one process per data dir, [S38]), and every row is recovered at start.
   */
  sharedStore?: boolean
  /** Clock; `Date.now` by default (the bench drives its own). */
  now?: () => number
}

/** Display name of the server as the author of the changes it writes ([H3]). */
export const SERVER_AUTHOR_NAME = 'Keyplan'
/**
 * Record types left out of history: tldraw's `user` records (each participant's name and colour,
 * written when a page opens) are nobody's work, and reverting one would mean nothing.
 */
const UNRECORDED_TYPES = new Set(['user'])
/** How often retention runs, besides at boot. */
const PRUNE_EVERY_MS = 60 * 60_000
/** [H10] How often an open change that grew is journaled, by default. */
const JOURNAL_EVERY_MS = 1_000
const DAY_MS = 24 * 60 * 60_000

/** A new change id: 16 URL-safe random characters (96 bits). */
export function newChangeId(): string {
  return randomBytes(12).toString('base64url')
}

/**
 * Transaction origin of a change the server writes (a revert, a restore): recorded as one change
 * with this id ([H3]), however many transactions of the board's two documents it takes, once the
 * writer calls {@link finish}. Pass it to `room.applyServerUpdate(update, origin)` or
 * `writeBoardRecords(room, changes, origin)`.
 */
export class ServerChange {
  readonly id = newChangeId()
  private done = false
  private readonly listeners = new Set<() => void>()
  constructor(
    readonly kind: Exclude<ChangeKind, 'edit'>,
    readonly revertOf: string | null = null,
    /** [H3] Who asked for it (a revert, a restore): their role from the token, their name as their page gave it. */
    readonly by: { role: Role; name: string | null } | null = null,
  ) {}

  /** The write is complete: its change is stored now. Call it once (in a `finally`), after the last transaction. */
  finish(): void {
    if (this.done) return
    this.done = true
    for (const listener of this.listeners) listener()
    this.listeners.clear()
  }

  /** @internal Runs `listener` once the write is complete (at once if it is). */
  onFinish(listener: () => void): void {
    if (this.done) listener()
    else this.listeners.add(listener)
  }
}

const roles = new WeakMap<Connection, Role>()
/** The display name each connection announced last in its awareness state. */
const names = new WeakMap<Connection, string>()

/** Remembers the role `conn` was admitted with, for the changes it makes. Call once it is admitted. */
export function rememberConnectionRole(conn: Connection, role: Role): void {
  roles.set(conn, role)
}

/** Who one change is by: a connection, the server, or unknown; `key` identifies the open change. */
type Author =
  | { key: Connection; conn: Connection }
  | { key: ServerChange; server: ServerChange }
  | { key: 'unknown' }

type Pending = {
  /** The change's id, from when it opens: its journal row is named by it ([H10]). */
  id: string
  author: Author
  records: OpenRecords
  /** Issue 13: ids of the records that were internal items (in the internal document) during the change. */
  internalItems: Set<string>
  firstAt: number
  lastAt: number
  /** `performance.now()` of its last transaction: the pause timer measures from it. */
  touchedAt: number
  timer?: NodeJS.Timeout | undefined
  /** A server change that will close when its write finishes. */
  finishing?: boolean
  /** [H10] Changed since it was last journaled. */
  dirty?: boolean
  /** [H10] Has a journal row (or one is queued). */
  journaled?: boolean
}

type RoomState = {
  room: Room
  /** Every record as of the last transaction, as the team sees it (both documents merged). */
  current: Map<string, JsonObject>
  /** Issue 13: ids of the internal document's whole records (internal items), as of the last transaction. */
  internalItems: Set<string>
  pending: Map<Author['key'], Pending>
  /** Connections whose close closes their open change. */
  watched: WeakSet<Connection>
  stop: () => void
  /**
   * Transactions observed but not recorded yet: recorded after the room's relay, off its latency
   * path ({@link HistoryRecorder.recordDeferred}). Only their changed ids are noted inside the
   * transaction; the records are composed after the relay too, or as soon as another transaction
   * of the board begins ({@link HistoryRecorder.composeDeferred}), so each is as that transaction left it.
   */
  deferred: Observed[]
  /** How many of {@link deferred} (the last ones) are not composed yet. */
  uncomposed: number
}

/** One transaction's changed records as observed, with its origin and clocks. */
type Observed = {
  /** Ids of the records the transaction changed; composed into {@link changes} before the board changes again. */
  ids: readonly string[]
  /** Issue 13: a transaction of the internal document, which also changes which records are internal items. */
  items: boolean
  /** The sensitivity the records were merged with when the transaction happened. */
  sensitivity: Sensitivity
  origin: unknown
  now: number
  touchedAt: number
  changes?: RecordChanges
  /** Issue 13 ({@link items}): the records that are internal items after the transaction, and those that are not. */
  itemChanges?: { put: string[]; remove: string[] }
}

export class HistoryRecorder {
  private readonly options: HistoryRecorderOptions
  private readonly now: () => number
  private readonly rooms = new Map<Room, RoomState>()
  /** Tail of the chain of store writes: changes are stored in the order they closed. */
  private writes: Promise<void> = Promise.resolve()
  private pruneTimer: NodeJS.Timeout | undefined
  /** [H10] Journals the open changes that grew; set only while one did. */
  private journalTimer: NodeJS.Timeout | undefined
  private recoverTimer: NodeJS.Timeout | undefined
  private readonly journalMs: number
  /**
   * [H10] A live recorder rewrites the journal row of an open change within `journalMs` of each
   * edit, and an open change closes once its writer paused `idleMs` or at its first edit after
   * `maxMs`: no row of a live instance goes unwritten for as long as this (twice that, for clocks
   * and slow writes).
   */
  private readonly staleAfterMs: number

  constructor(options: HistoryRecorderOptions) {
    this.options = options
    this.now = options.now ?? Date.now
    this.journalMs = options.journalMs ?? JOURNAL_EVERY_MS
    this.staleAfterMs = 2 * (Math.max(options.idleMs, options.maxMs) + this.journalMs)
  }

  /**
   * [H10] Recovers the open changes a crash left in the journal, then [H8] prunes; prunes again
   * every hour, and on a shared store recovers again every `staleAfterMs`, until {@link close}.
   */
  async start(): Promise<void> {
    await this.recover()
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS)
    this.pruneTimer.unref()
    if (this.options.sharedStore) {
      this.recoverTimer = setInterval(() => void this.recover(), this.staleAfterMs)
      this.recoverTimer.unref()
    }
    await this.prune()
  }

  /**
   * [H10] Appends the journaled open changes no recorder is writing any more (every one when the
   * store is this process's alone; else those not journaled for `staleAfterMs`), in the chain of
   * history writes; returns how many (0 when storage failed).
   */
  recover(): Promise<number> {
    const { store, log } = this.options
    const recovered = this.writes.then(async () => {
      // Judged when it runs: this recorder's own journal writes queued before it are done by then.
      const staleBefore = this.options.sharedStore ? new Date(this.now() - this.staleAfterMs).toISOString() : undefined
      try {
        const count = await store.recoverOpenChanges(staleBefore)
        if (count > 0) log.info('history.recovered', { count, staleBefore })
        return count
      } catch (error) {
        log.error('history.recover_failed', { error: String(error) })
        return 0
      }
    })
    this.writes = recovered.then(() => undefined)
    return recovered
  }

  /** Deletes the changes older than the retention period; returns how many (0 when storage failed). */
  async prune(): Promise<number> {
    const before = new Date(this.now() - this.options.retentionDays * DAY_MS).toISOString()
    try {
      const deleted = await this.options.store.pruneChanges(before)
      if (deleted > 0) this.options.log.info('history.pruned', { deleted, before })
      return deleted
    } catch (error) {
      this.options.log.error('history.prune_failed', { error: String(error) })
      return 0
    }
  }

  /**
   * @internal The records the history of `room`'s board keeps as it last saw them, once it follows
   * the board (issue 14, for tests).
   */
  keptRecords(room: Room): ReadonlyMap<string, JsonObject> | undefined {
    return this.rooms.get(room)?.current
  }

  /**
   * RoomManager `onRoomLoaded` (of a board's shared document): starts following the room's records,
   * and those of its internal document (issue 13: one history of the board as the team sees it),
   * and participants' names.
   */
  roomLoaded(room: Room): void {
    const internal = room.internal?.doc
    const state: RoomState = { room, current: new Map(), internalItems: new Set(), pending: new Map(), watched: new WeakSet(), stop: () => undefined, deferred: [], uncomposed: 0 }
    const follow = (tr: Y.Transaction, ids: readonly string[], items: boolean) => {
      // Runs inside the room's transaction, before the update is stored and relayed: only the ids
      // are noted here; the records are composed and recorded once the turn has relayed. A throw
      // here would count as a failed update and reset the room for everyone; history is worth
      // less than that.
      try {
        state.uncomposed++
        if (state.deferred.push({ ids, items, sensitivity: room.sensitivity, origin: tr.origin, now: this.now(), touchedAt: performance.now() }) === 1) {
          setImmediate(() => this.recordDeferred(state))
        }
      } catch (error) {
        this.options.log.error('history.record_failed', { room: room.name, error: String(error) })
      }
    }
    // The noted records are composed before another transaction of the board changes them.
    const beforeChange = () => {
      if (state.uncomposed > 0) this.composeDeferred(state)
    }
    const stops: (() => void)[] = []
    const docs = internal ? [room.doc, internal] : [room.doc]
    // [H9] The board is read and its records followed from its first transaction on (before it
    // changes anything), not when it loads: a joiner's sync does not wait for every record of a
    // large board to be composed, and a board only read is never composed for history.
    const start = () => {
      for (const doc of docs) doc.off('beforeTransaction', start)
      // Inside the room's transaction: a throw would reset the room. The board goes without history.
      try {
        // Kept as the documents hold them (issue 14): a record nobody changed since it was written
        // whole costs the history no copy. Records are read-only everywhere here.
        state.current = internal ? mergeParts(readRecordsKept(room.doc), readRecordsKept(internal), readOverlays(internal), room.sensitivity) : readRecordsKept(room.doc)
        state.internalItems = new Set(internal ? recordIds(internal) : [])
      } catch (error) {
        this.options.log.error('history.follow_failed', { room: room.name, error: String(error) })
        this.forget(state, false)
        return
      }
      for (const doc of docs) doc.on('beforeTransaction', beforeChange)
      stops.push(() => {
        for (const doc of docs) doc.off('beforeTransaction', beforeChange)
      })
      // Either document's transaction changes the merged records of the ids it touched.
      stops.push(observeRecordIds(room.doc, (ids, tr) => follow(tr, ids, false)))
      if (internal) {
        stops.push(
          observeRecordIds(internal, (ids, tr) => follow(tr, ids, true)),
          observeOverlays(internal, (ids, tr) => follow(tr, [...ids], false)),
        )
      }
    }
    for (const doc of docs) doc.on('beforeTransaction', start)
    const stopRecords = () => {
      for (const doc of docs) doc.off('beforeTransaction', start)
      for (const stop of stops) stop()
    }
    const onAwareness = ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
      if (!(origin instanceof Connection)) return
      const name = participantNames(room.awareness, [...added, ...updated]).at(-1)
      if (name !== undefined) names.set(origin, name)
    }
    room.awareness.on('update', onAwareness)
    state.stop = () => {
      stopRecords()
      room.awareness.off('update', onAwareness)
    }
    this.rooms.set(room, state)
    // A broken room's document held changes that may not be durable: they are not recorded.
    room.on('broken', () => this.forget(state, false))
    // Unloaded (or shut down): whatever is still open is stored.
    room.doc.on('destroy', () => this.forget(state, true))
  }

  /**
   * RoomManager `beforeUnload`: stores the room's open changes. The room is still followed: a
   * connection that arrives meanwhile keeps it loaded.
   */
  async roomUnloading(room: Room): Promise<void> {
    const state = this.rooms.get(room)
    if (state) {
      this.recordDeferred(state)
      for (const pending of [...state.pending.values()]) this.closeChange(state, pending)
    }
    await this.settled()
  }

  /**
   * Closes and stores every open change of the board ([H5]: a list is read after this), and
   * resolves once everything recorded so far is stored.
   */
  async flushBoard(workshopId: string, board: BoardId): Promise<void> {
    const name = syncRoomName(workshopId, board)
    for (const state of this.rooms.values()) {
      if (state.room.name !== name) continue
      this.recordDeferred(state)
      // A server change still being written closes when it is complete ([H3]), not half-way.
      for (const pending of [...state.pending.values()]) if (!('server' in pending.author)) this.closeChange(state, pending)
    }
    await this.settled()
  }

  /**
   * Resolves once every change closed so far is stored (or failed to be), including a server
   * change ([H3]) whose transaction has happened but was not recorded yet.
   */
  settled(): Promise<void> {
    for (const state of this.rooms.values()) this.recordDeferred(state)
    return this.writes
  }

  /** Shutdown (after the rooms closed): stores every open change, stops retention and the journal. */
  async close(): Promise<void> {
    clearInterval(this.pruneTimer)
    clearInterval(this.recoverTimer)
    clearTimeout(this.journalTimer)
    this.journalTimer = undefined
    for (const state of [...this.rooms.values()]) this.forget(state, true)
    await this.settled()
  }

  private forget(state: RoomState, store: boolean): void {
    if (this.rooms.get(state.room) !== state) return
    // A broken room's last changes may not be durable: those not recorded yet are dropped.
    if (store) this.recordDeferred(state)
    state.deferred.length = 0
    state.uncomposed = 0
    this.rooms.delete(state.room)
    state.stop()
    const dropped: string[] = []
    for (const pending of [...state.pending.values()]) {
      if (store) this.closeChange(state, pending)
      else {
        clearTimeout(pending.timer)
        if (pending.journaled) dropped.push(pending.id)
      }
    }
    state.pending.clear()
    // [H10] ...nor recovered from the journal after a crash.
    this.dropJournaled(state, dropped)
  }

  /**
   * Composes the records of the observed transactions not composed yet: the board as the team sees
   * it (both documents merged), as it is now, which is as the last of them left it (this runs
   * before any later transaction of the board begins). In order, so each earlier transaction's
   * ids are read as the last one left them: the one that counts for them is the last.
   */
  private composeDeferred(state: RoomState): void {
    const uncomposed = state.uncomposed
    state.uncomposed = 0
    const { room } = state
    const internal = room.internal?.doc
    const deferred = state.deferred
    for (let i = deferred.length - uncomposed; i < deferred.length; i++) {
      const observed = deferred[i] as Observed // within the array: uncomposed <= length
      // Inside the next transaction's start: a throw must not reset the room. That transaction is left unrecorded.
      try {
        observed.changes = internal ? mergedChanges(room.doc, internal, observed.ids, observed.sensitivity) : readChanges(room.doc, observed.ids)
        if (internal && observed.items) {
          const itemChanges: { put: string[]; remove: string[] } = { put: [], remove: [] }
          for (const id of observed.ids) (hasRecord(internal, id) ? itemChanges.put : itemChanges.remove).push(id)
          observed.itemChanges = itemChanges
        }
      } catch (error) {
        this.options.log.error('history.record_failed', { room: room.name, error: String(error) })
      }
    }
  }

  /** Records the transactions observed since the last call, in order. */
  private recordDeferred(state: RoomState): void {
    if (this.rooms.get(state.room) !== state) return
    if (state.uncomposed > 0) this.composeDeferred(state)
    const observed = state.deferred.splice(0)
    for (const { changes, origin, itemChanges, now, touchedAt } of observed) {
      if (!changes) continue
      // History is worth less than the room: a throw here must not reach the relay or the timers.
      try {
        this.onTransaction(state, changes, origin, now, touchedAt, itemChanges)
      } catch (error) {
        this.options.log.error('history.record_failed', { room: state.room.name, error: String(error) })
      }
    }
  }

  private onTransaction(state: RoomState, changes: RecordChanges, origin: unknown, now: number, touchedAt: number, itemChanges?: { put: string[]; remove: string[] }): void {
    if (this.rooms.get(state.room) !== state) return
    // Issue 13: which records were internal items before this transaction of the internal document, and after.
    const itemsBefore = itemChanges ? new Set(state.internalItems) : state.internalItems
    if (itemChanges) {
      for (const id of itemChanges.put) state.internalItems.add(id)
      for (const id of itemChanges.remove) state.internalItems.delete(id)
    }
    if (origin === PARTS_ORIGIN) {
      // [A36] values moving between a board's two documents are nobody's change: the history only
      // follows what the shared document now holds, so no later change shows the moved values.
      // [A40] Except a guest's delete that left the team an internal copy: the copy is written just
      // before the delete, in its turn, and the delete is the guest's change (the card it took
      // from the shared part, now the copy), not nobody's.
      for (const after of changes.put) if (typeof after.id === 'string' && !isFreshKeptCopy(state.current.get(after.id), after)) state.current.set(after.id, after)
      for (const id of changes.remove) state.current.delete(id)
      return
    }
    const touched = new Set<Pending>()
    // Server code applying one update with the default origin: one change, complete at once.
    const restore = origin === SERVER_ORIGIN ? new ServerChange('restore') : undefined
    restore?.finish()
    const server = restore ?? (origin instanceof ServerChange ? origin : undefined)
    // [H3] a server change closes everyone's open changes first, so that it is listed after them.
    if (server) for (const pending of [...state.pending.values()]) if (pending.author.key !== server) this.closeChange(state, pending)
    const record = (id: string, before: JsonObject | null, after: JsonObject | null) => {
      // A row another instance stored is recorded there, by the instance its writer is on.
      if (origin === REMOTE_ORIGIN) return
      if (UNRECORDED_TYPES.has(String((after ?? before)?.typeName))) return
      const pending = this.pendingOf(state, authorOf(server ?? origin, id, (conn) => partnerOf(state.room, conn)), now, touchedAt)
      touched.add(pending)
      addToPending(pending.records, id, before, after)
      if (itemsBefore.has(id) || state.internalItems.has(id)) pending.internalItems.add(id)
    }
    for (const after of changes.put) {
      const id = after.id
      if (typeof id !== 'string') continue
      const before = state.current.get(id) ?? null
      if (before && jsonEqual(before, after)) continue
      state.current.set(id, after)
      record(id, before, after)
    }
    for (const id of changes.remove) {
      const before = state.current.get(id)
      if (!before) continue
      state.current.delete(id)
      record(id, before, null)
    }
    if (touched.size > 0) this.journalSoon()
    for (const pending of touched) {
      pending.lastAt = now
      pending.touchedAt = touchedAt
      pending.dirty = true
      // [H3] a server change closes when its write is complete (writers finish it in a `finally`).
      if ('server' in pending.author) {
        if (!pending.finishing) {
          pending.finishing = true
          pending.author.server.onFinish(() => this.closeChange(state, pending))
        }
        continue
      }
      // [H2] an edit closes when its writer pauses or when it reached its longest.
      if (now - pending.firstAt >= this.options.maxMs) {
        this.closeChange(state, pending)
        continue
      }
      // One timer per pause, not one per transaction (a drag is 60 transactions a second): it
      // looks again when it fires.
      if (!pending.timer) this.closeWhenPaused(state, pending, this.options.idleMs)
    }
  }

  /** [H2] Closes `pending` once its writer made no change for `idleMs`, checking after `delayMs`. */
  private closeWhenPaused(state: RoomState, pending: Pending, delayMs: number): void {
    pending.timer = setTimeout(() => {
      pending.timer = undefined
      const quiet = performance.now() - pending.touchedAt
      if (quiet >= this.options.idleMs) this.closeChange(state, pending)
      else this.closeWhenPaused(state, pending, Math.max(1, this.options.idleMs - quiet))
    }, delayMs)
    pending.timer.unref()
  }

  /** The open change of `author`, opened at `now` (the clocks of the transaction, [H2]) if there is none. */
  private pendingOf(state: RoomState, author: Author, now: number, touchedAt: number): Pending {
    let pending = state.pending.get(author.key)
    if (!pending) {
      pending = { id: 'server' in author ? author.server.id : newChangeId(), author, records: new Map(), internalItems: new Set(), firstAt: now, lastAt: now, touchedAt }
      state.pending.set(author.key, pending)
      const conn = 'conn' in author ? author.conn : undefined
      // A writer who leaves has finished their change (one listener per connection and room). An
      // update applied after its sender closed is closed by the pause timer instead.
      if (conn && !conn.closed && !state.watched.has(conn)) {
        state.watched.add(conn)
        conn.onClose(() => {
          this.recordDeferred(state)
          const open = state.pending.get(conn)
          if (open) this.closeChange(state, open)
        })
      }
    }
    return pending
  }

  /**
   * Closes an open change and queues it for storage ([H1]); storing it deletes its journal row
   * ([H10]), as does closing it with nothing left to store.
   */
  private closeChange(state: RoomState, pending: Pending): void {
    if (state.pending.get(pending.author.key) !== pending) return
    state.pending.delete(pending.author.key)
    clearTimeout(pending.timer)
    const change = describeChange(state, pending)
    if (!change) {
      if (pending.journaled) this.dropJournaled(state, [pending.id])
      return
    }
    const { room } = state
    const { store, log } = this.options
    this.writes = this.writes.then(async () => {
      try {
        const access = await store.getAccess(room.workshopId)
        // [H6] guests see a change only if the board was customer-facing when it was recorded.
        await store.appendChange({ ...change, customerFacing: access?.customerFacing[room.board] === true })
      } catch (error) {
        log.error('history.store_failed', { room: room.name, change: change.id, error: String(error) })
      }
    })
  }

  /** [H10] Journals the open changes that grew, within `journalMs` (one timer, set only while one did). */
  private journalSoon(): void {
    if (this.journalTimer) return
    this.journalTimer = setTimeout(() => {
      this.journalTimer = undefined
      this.journal()
    }, this.journalMs)
    this.journalTimer.unref()
  }

  /**
   * [H10] Queues every open change that grew since its last journal write for the journal, as it
   * would be stored if it closed now, in the chain of history writes (after the changes closed
   * before it, before those that close after). Off the relay's path: a timer's turn.
   */
  private journal(): void {
    const open: Omit<BoardChange, 'customerFacing'>[] = []
    const emptied: string[] = []
    for (const state of this.rooms.values()) {
      for (const pending of state.pending.values()) {
        if (!pending.dirty) continue
        pending.dirty = false
        // A throw here must not stop the other changes' journal, nor reach the timers.
        try {
          const change = describeChange(state, pending)
          if (change) {
            open.push(change)
            pending.journaled = true
          } else if (pending.journaled) {
            // Its edits undid one another: a row left would bring back what it held.
            emptied.push(pending.id)
            pending.journaled = false
          }
        } catch (error) {
          this.options.log.error('history.journal_failed', { room: state.room.name, change: pending.id, error: String(error) })
        }
      }
    }
    if (open.length === 0 && emptied.length === 0) return
    const { store, log } = this.options
    this.writes = this.writes.then(async () => {
      try {
        await store.dropOpenChanges(emptied)
        await store.journalOpenChanges(await withCustomerFacing(store, open), new Date(this.now()).toISOString())
      } catch (error) {
        log.error('history.journal_failed', { changes: open.length, error: String(error) })
      }
    })
  }

  /** [H10] Queues the deletion of journal rows of changes that will not be stored. */
  private dropJournaled(state: RoomState, ids: readonly string[]): void {
    if (ids.length === 0) return
    const { store, log } = this.options
    this.writes = this.writes.then(async () => {
      try {
        await store.dropOpenChanges(ids)
      } catch (error) {
        log.error('history.journal_failed', { room: state.room.name, changes: ids.length, error: String(error) })
      }
    })
  }
}

/** An open change as it would be stored if it closed now ([H1]); undefined when it holds no record. */
function describeChange(state: RoomState, pending: Pending): Omit<BoardChange, 'customerFacing'> | undefined {
  const records = markInternal(changedRecords(pending.records), pending.internalItems, state.room.sensitivity)
  if (records.length === 0) return undefined
  const { room } = state
  const author = pending.author
  return {
    id: pending.id,
    workshopId: room.workshopId,
    board: room.board,
    at: new Date(pending.lastAt).toISOString(),
    role: authorRole(author),
    name: 'server' in author ? (author.server.by ? author.server.by.name : SERVER_AUTHOR_NAME) : 'conn' in author ? (names.get(author.conn) ?? null) : null,
    connId: 'conn' in author ? author.conn.id : null,
    kind: 'server' in author ? author.server.kind : 'edit',
    revertOf: 'server' in author ? author.server.revertOf : null,
    records,
  }
}

/** [H6] Each change with whether its board is customer-facing now, as {@link HistoryRecorder} stores it when it closes. */
async function withCustomerFacing(store: Store, changes: readonly Omit<BoardChange, 'customerFacing'>[]): Promise<BoardChange[]> {
  const access = new Map<string, ReturnType<Store['getAccess']>>()
  return Promise.all(
    changes.map(async (change) => {
      let read = access.get(change.workshopId)
      if (!read) access.set(change.workshopId, (read = store.getAccess(change.workshopId)))
      return { ...change, customerFacing: (await read)?.customerFacing[change.board] === true }
    }),
  )
}

/**
 * The writer of one record's change in a transaction with `origin`; `writer` maps a connection to
 * the one its edits are recorded under (the same page's connection to the shared document).
 */
function authorOf(origin: unknown, recordId: string, writer: (conn: Connection) => Connection): Author {
  if (origin instanceof Connection) return { key: writer(origin), conn: writer(origin) }
  if (origin instanceof ServerChange) return { key: origin, server: origin }
  // A batch of several senders' updates: the sender of this record, when the room can tell.
  if (typeof origin === 'object' && origin !== null && 'senderOf' in origin && typeof origin.senderOf === 'function') {
    const sender: unknown = origin.senderOf(recordId)
    if (sender instanceof Connection) return { key: writer(sender), conn: writer(sender) }
  }
  return { key: 'unknown' }
}

/**
 * Issue 13: a page writes a board through two connections, one per document. An edit through the
 * internal document's connection is recorded under the same participant's connection to the
 * shared document (same user id, same role), which announced their name, so that one gesture
 * touching both documents is one change; without one, under its own connection.
 */
function partnerOf(room: Room, conn: Connection): Connection {
  if (conn.docName === room.name) return conn
  const role = roles.get(conn)
  for (const candidate of room.connections) {
    if (candidate.userId === conn.userId && roles.get(candidate) === role && !candidate.closed) return candidate
  }
  return conn
}

/** The records of the board as the team sees them, for the ids a transaction touched. */
function mergedChanges(shared: Y.Doc, internal: Y.Doc, ids: Iterable<string>, sensitivity: Sensitivity): RecordChanges {
  const changes: RecordChanges = { put: [], remove: [] }
  for (const id of new Set(ids)) {
    const record = readMergedRecord(shared, internal, id, sensitivity, true)
    if (record) changes.put.push(record)
    else changes.remove.push(id)
  }
  return changes
}

/** The records of a board without an internal document, for the ids a transaction touched. */
function readChanges(doc: Y.Doc, ids: readonly string[]): RecordChanges {
  const changes: RecordChanges = { put: [], remove: [] }
  for (const id of ids) {
    const record = readRecordKept(doc, id)
    if (record) changes.put.push(record)
    else changes.remove.push(id)
  }
  return changes
}

/** True when `after` is a copy kept from a guest's delete ([A40]) of `before`, which was not one. */
function isFreshKeptCopy(before: JsonObject | undefined, after: JsonObject): boolean {
  return before !== undefined && isKeptFromGuest(after) && !isKeptFromGuest(before)
}

/**
 * [A36] Marks what of each record was internal when the change was recorded: whole items (records
 * of the internal document, and bindings of such items), else the record's internal fields.
 */
function markInternal(records: ChangedRecord[], internalItems: ReadonlySet<string>, sensitivity: Sensitivity): ChangedRecord[] {
  return records.map((record) => {
    const either = (record.after ?? record.before) as JsonObject // one of the two is set on a changed record
    const item = internalItems.has(record.id) || [record.before, record.after].some((r) => r !== null && isInternalRecord(r as JsonObject, sensitivity)) // stored records are JSON
    const fields = item ? [] : internalPropsOf(either, sensitivity).map((prop) => `props.${prop}`)
    return item || fields.length > 0 ? { ...record, internal: { item, fields } } : record
  })
}

function authorRole(author: Author): ChangeAuthorRole {
  if ('server' in author) return author.server.by?.role ?? 'server'
  if ('conn' in author) return roles.get(author.conn) ?? 'unknown'
  return 'unknown'
}
