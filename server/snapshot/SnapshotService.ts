/**
 * Snapshots of workshops ([S16]–[S19]): taken on request (`manual`), when the last participant
 * leaves a workshop that changed (`session_end`), every `SNAPSHOT_INTERVAL_MS` while a workshop
 * is edited (`periodic`), and before a restore (`before_restore`). All snapshot work of one
 * workshop runs one at a time, so two triggers firing together store one snapshot, not two.
 *
 * @example
 * ```ts
 * const snapshots = new SnapshotService({ store, rooms, log, intervalMs: config.snapshotIntervalMs, seenWaitMs: config.snapshotSeenWaitMs })
 * // RoomManager options: onRoomLoaded: (room) => snapshots.roomLoaded(room),
 * //                      beforeUnload: (room) => snapshots.roomUnloading(room)
 * const record = await snapshots.take(workshopId, 'manual', 'After the kick-off')
 * ```
 */
import { insideHidden, resolveSensitivity } from '../../shared/sensitivity.ts'
import { readRecords, recordIds, readStoredSchema } from '../../shared/docLayout.ts'
import { randomBytes } from 'node:crypto'
import * as Y from 'yjs'
import { z } from 'zod'
import { BOARD_IDS, BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { summarizePlan, type PlanRecord, type PlanView, type SnapshotTrigger } from '../../shared/plan.ts'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { customerView } from '../../shared/customerView.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { allInternal, type CustomerFacing } from '../../shared/roles.ts'
import type { RestoreResult } from '../../shared/snapshotApi.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import type { Logger } from '../log.ts'
import { SnapshotCopySourceError, type NewSnapshot, type Store, type StoredWorkshop } from '../store/Store.ts'
import { Connection } from '../sync/Connection.ts'
import type { Room } from '../sync/Room.ts'
import type { RoomManager } from '../sync/RoomManager.ts'
import { currentBoardDoc, docFromUpdates, sameInternalContent, type BoardDoc, type BoardVersion, type StateWanted } from './boardDocs.ts'
import type { VoteRecord } from '../../shared/votes.ts'
import { buildSnapshot, withEmptyPlan } from './buildSnapshot.ts'
import { untilSeen, type SeenPart } from './seenVersions.ts'
import { addParticipants, namesWithBoards, noteParticipant, participantNames, type ParticipantBoards } from './participants.ts'
import { planRestore } from './restoreBoard.ts'
import { ServerChange } from '../history/HistoryRecorder.ts'
import { readBoardRecords, writeBoardRecords } from '../sync/writeBoardRecords.ts'
import type { SnapshotAccess } from './snapshotAccess.ts'

export type SnapshotServiceOptions = {
  store: Store
  rooms: RoomManager
  log: Logger
  /** Period of the `periodic` trigger. */
  intervalMs: number
  /** How long a manual snapshot waits for what the saving page holds ([S42]): `SNAPSHOT_SEEN_WAIT_MS`. */
  seenWaitMs: number
  /**
   * [I3] Whether a participant is still on a board of the workshop on any instance (through
   * Redis); consulted before a session end. Without it, this instance's rooms alone decide.
   */
  connectedAnywhere?: (workshopId: string) => Promise<boolean>
  /**
   * Longest a live plan is served while no board changes here: {@link LIVE_PLAN_MAX_AGE_MS}. On
   * several instances a board changed on another instance drops nothing here, so it is short.
   */
  liveMaxAgeMs?: number
}

/** Another instance stored a snapshot of the workshop after this one decided to take one ([I3]). */
class SnapshotSuperseded extends Error {}


/**
 * The boards read for a snapshot, and which of them were customer-facing throughout the read;
 * boards read without a state are unchanged since snapshot `copyFrom`, whose rows they copy.
 */
type ReadBoards = { docs: Record<BoardId, BoardDoc>; customerFacing: CustomerFacing; copyFrom?: string }

/** The snapshot whose rows a snapshot may copy, and its boards' versions. */
type CopyBase = { id: string; versions: Versions }

/**
 * Issue 13: the sensitivity the boards were read with and the ids of their internal items, and
 * each board's internal document (stored as bytes beside the board's state, not in the record).
 */
function internalAccess(docs: Record<BoardId, BoardDoc>): { access: Pick<SnapshotAccess, 'sensitivity' | 'internalIds'>; internalBoards: NewSnapshot['internalBoards'] } {
  const internalIds: string[] = []
  const internalBoards: NewSnapshot['internalBoards'] = {}
  for (const board of BOARD_IDS) {
    const internal = docs[board].internal
    if (!internal || internal.getArray('keyplan.records').length === 0) continue
    const items = new Set(recordIds(internal))
    internalIds.push(...items)
    // [A39] what the shared document holds inside an internal item is internal too.
    internalIds.push(...insideHidden(readRecords(docs[board].doc), items))
    // A board without a state is copied, its internal document with it.
    if (docs[board].state) internalBoards[board] = Y.encodeStateAsUpdate(internal)
  }
  const sensitivity = BOARD_IDS.map((board) => docs[board].sensitivity).find((s) => s !== undefined) ?? resolveSensitivity(undefined)
  return { access: { sensitivity, internalIds }, internalBoards }
}

/** Per revealed vote, how many people voted on items not in `internalIds`: what a guest is told ([P10]). */
function guestVoters(votes: readonly VoteRecord[], internalIds: ReadonlySet<string>): NonNullable<SnapshotAccess['guestVoters']> {
  return votes
    .filter((vote) => vote.revealed)
    .map((vote) => ({ vote: vote.id, count: new Set(vote.ballots.filter((ballot) => !internalIds.has(ballot.item)).map((ballot) => ballot.userId)).size }))
}

/** The boards' versions, both documents (what a snapshot's rows hold): equal versions mean equal content. */
type Versions = Record<BoardId, BoardVersion>

/** What the service follows of one workshop between snapshots. */
type WorkshopState = {
  /** A board changed since the last snapshot started (periodic trigger). */
  edited: boolean
  /** Someone was connected since the last snapshot (session_end trigger). */
  attended: boolean
  /** Names seen in the boards' awareness since the last snapshot, with the boards they were on. */
  seen: ParticipantBoards
  /** Versions at the last snapshot (before any: the board templates), once known: its rows hold them. */
  last: Versions | undefined
  /** The snapshot {@link last} describes (null: the templates), to see one stored elsewhere since ([I3]). */
  lastId: string | null | undefined
  /** Tail of the workshop's serialized snapshot work. */
  queue: Promise<unknown>
  /** [PH12] When the plan last changed and the last session ended, as of the last snapshot, once known. */
  fresh: { lastChangedAt: string | null; lastWorkshopAt: string | null } | undefined
}

/**
 * A workshop's plan as its boards are now, with what a guest's view of it needs: the boards that
 * were customer-facing throughout the read, the sensitivity they were read with and the ids of
 * their internal items.
 */
type LivePlan = { plan: PlanRecord; customerFacing: CustomerFacing; access: Pick<SnapshotAccess, 'sensitivity' | 'internalIds'> }

/** Longest a live plan is served from the cache while no board changes. */
const LIVE_PLAN_MAX_AGE_MS = 60_000

/** A new snapshot id: 16 URL-safe random characters (96 bits). */
export function newSnapshotId(): string {
  return randomBytes(12).toString('base64url')
}

export class SnapshotService {
  private readonly options: SnapshotServiceOptions
  private readonly workshops = new Map<string, WorkshopState>()
  /** The last live plan of each workshop, until a board changes ({@link livePlan}). */
  private readonly livePlans = new Map<string, LivePlan>()
  /** Per workshop, how often its live plan was dropped: a plan read before a drop is not kept. */
  private readonly liveGenerations = new Map<string, number>()
  private readonly timer: NodeJS.Timeout
  private closed = false

  constructor(options: SnapshotServiceOptions) {
    this.options = options
    this.timer = setInterval(() => this.tick(), options.intervalMs)
    this.timer.unref()
  }

  /**
   * Takes a snapshot of every board of the workshop now and stores it; resolves with the stored
   * plan record. Rejects only when storing fails (board content never makes it fail).
   */
  take(workshopId: string, trigger: SnapshotTrigger, label: string | null): Promise<PlanRecord> {
    return this.serially(workshopId, () => this.capture(workshopId, trigger, label))
  }

  /**
   * [S42] Resolves once this instance holds every board document of `seen` as the saving page
   * holds it; throws HttpError 409 after `seenWaitMs`. Call before {@link take}.
   */
  untilSeen(workshopId: string, seen: readonly SeenPart[]): Promise<void> {
    return untilSeen(this.options.rooms, this.options.store, workshopId, seen, this.options.seenWaitMs)
  }

  /**
   * Restores `board` to `target`, its document at snapshot `snapshotId` (only read), as a new
   * change to the live document ([S19]) credited to `by` ([H3]), after a `before_restore` snapshot of the whole workshop.
   * Loads the room if needed.
   */
  restore(workshopId: string, snapshotId: string, board: BoardId, target: Y.Doc, by: ServerChange['by'] = null): Promise<RestoreResult> {
    return this.serially(workshopId, () =>
      this.options.rooms.withRoom(workshopId, board, async (room) => {
        // The board already as in the snapshot (restored twice, say): nothing to write, and no
        // snapshot of it to save (QA q28b: each such restore saved one more, of the same board).
        const already = planRestore(readStoredSchema(room.doc), readBoardRecords(room), target)
        if (already.put === 0 && already.removed === 0 && !already.schema) {
          return { board, restoredFrom: snapshotId, beforeRestore: null, put: 0, removed: 0, skipped: already.skipped }
        }
        const before = await this.capture(workshopId, 'before_restore', `Before restoring the ${BOARD_TITLES[board]} board`)
        // Planned after the snapshot is stored: peers may have changed the board meanwhile.
        const restore = planRestore(readStoredSchema(room.doc), readBoardRecords(room), target)
        if (restore.put > 0 || restore.removed > 0 || restore.schema) {
          // [H3] one change in the history, however many steps the write takes.
          const origin = new ServerChange('restore', null, by)
          try {
            await writeBoardRecords(room, restore.changes, origin, restore.schema ? { schema: restore.schema } : {})
          } finally {
            origin.finish()
          }
        }
        this.options.log.info('snapshot.restored', {
          room: room.name,
          snapshot: snapshotId,
          before: before.id,
          put: restore.put,
          removed: restore.removed,
          skipped: restore.skipped.length,
        })
        return {
          board,
          restoredFrom: snapshotId,
          beforeRestore: summarizePlan(before),
          put: restore.put,
          removed: restore.removed,
          skipped: restore.skipped,
        }
      }),
    )
  }

  /** RoomManager `onRoomLoaded`: follows the room's changes and who is present. */
  roomLoaded(room: Room): void {
    room.on('update', () => {
      this.stateOf(room.workshopId).edited = true
      // Every board change reaches a room: the live plan is recomputed on the next request.
      this.forgetLive(room.workshopId)
    })
    room.awareness.on(
      'update',
      ({ added, updated }: { added: number[]; updated: number[] }, origin: unknown) => {
        // Only states a participant sent; removals by the server carry no names.
        if (!(origin instanceof Connection) || added.length + updated.length === 0) return
        const state = this.stateOf(room.workshopId)
        state.attended = true
        const name = participantNames(room.awareness, [...added, ...updated]).at(-1)
        if (name !== undefined) noteParticipant(state.seen, origin.participant, room.board, name)
      },
    )
  }

  /**
   * RoomManager `beforeUnload` ([S17] session end): when no board of the workshop has anyone
   * left, takes a `session_end` snapshot if someone was there and the workshop changed since the
   * last snapshot.
   */
  async roomUnloading(room: Room): Promise<void> {
    const workshopId = room.workshopId
    if (!this.workshops.get(workshopId)?.attended || this.anyoneConnected(workshopId)) return
    await this.serially(workshopId, async () => {
      const state = this.workshops.get(workshopId)
      if (!state?.attended || this.anyoneConnected(workshopId)) return
      // [I3] the session goes on on another instance: its last participant's instance ends it.
      if (await this.connectedElsewhere(workshopId)) return
      try {
        await this.captureIfChanged(workshopId, 'session_end')
      } finally {
        state.attended = false
      }
    })
  }

  /**
   * Graceful shutdown: stops the periodic trigger, ends the sessions still open ([S17]: a
   * `session_end` snapshot of each workshop someone attended that changed) and waits for all
   * snapshot work. Call before the rooms close.
   */
  async close(): Promise<void> {
    this.closed = true
    clearInterval(this.timer)
    for (const [workshopId, state] of this.workshops) {
      if (!state.attended) continue
      void this.serially(workshopId, async () => {
        if (!(await this.connectedElsewhere(workshopId))) await this.captureIfChanged(workshopId, 'session_end')
      }).catch(() => {
        // Logged by captureIfChanged; shutdown goes on.
      })
    }
    await Promise.allSettled([...this.workshops.values()].map((state) => state.queue))
  }

  /**
   * Drops what the service follows of a workshop being deleted, once its snapshot work in
   * progress has finished; call after its rooms unloaded.
   */
  async forget(workshopId: string): Promise<void> {
    const state = this.workshops.get(workshopId)
    if (!state) return
    await state.queue
    this.workshops.delete(workshopId)
    this.livePlans.delete(workshopId)
    this.liveGenerations.delete(workshopId)
  }

  /** [S17] periodic: every workshop edited since its last snapshot gets one, if it really changed. */
  private tick(): void {
    if (this.closed) return
    for (const [workshopId, state] of this.workshops) {
      if (!state.edited) continue
      void this.serially(workshopId, () => this.captureIfChanged(workshopId, 'periodic')).catch(() => {
        // Logged by captureIfChanged; the next tick tries again.
      })
    }
  }

  /**
   * [S17] An automatic snapshot, if the boards differ from the workshop's newest snapshot, whichever
   * instance stored it. [I3] Fenced: stored only if that snapshot is still the newest when it is
   * written. An instance that finds another stored one meanwhile compares with that one once more,
   * so of several instances deciding at once (or one paused meanwhile) one stores, and a second
   * snapshot is stored only if the boards it read hold something the first lacks. A periodic one
   * also waits until the newest is half an interval old, so the instances' timers add up to one
   * periodic snapshot per interval, not one per instance.
   */
  private async captureIfChanged(workshopId: string, trigger: SnapshotTrigger): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.captureIfChangedSinceNewest(workshopId, trigger)
        return
      } catch (error) {
        if (error instanceof SnapshotSuperseded) {
          this.options.log.info('snapshot.superseded', { workshop: workshopId, trigger, attempt })
          if (attempt < 2) continue
          return
        }
        this.options.log.error('snapshot.failed', { workshop: workshopId, trigger, error: String(error) })
        throw error
      }
    }
  }

  private async captureIfChangedSinceNewest(workshopId: string, trigger: SnapshotTrigger): Promise<void> {
    const state = this.stateOf(workshopId)
    state.edited = false
    const [latest] = await this.options.store.listSnapshots(workshopId)
    if (trigger === 'periodic' && latest !== undefined && Date.now() - Date.parse(latest.takenAt) < this.options.intervalMs / 2) {
      state.edited = true
      return
    }
    const latestId = latest?.id ?? null
    if (state.lastId !== latestId) {
      // Stored by another instance (or deleted): compare with it, and take its freshness.
      forgetLast(state)
    }
    // Known before the boards are read, so that those unchanged since the newest snapshot copy its rows.
    await this.lastVersions(workshopId)
    const boards = await this.readBoards(workshopId, this.copyBase(workshopId))
    try {
      const change = await this.firstChange(workshopId, boards.docs)
      if (change === undefined) return
      this.options.log.debug('snapshot.changed', { workshop: workshopId, trigger, since: latestId ?? 'template', change })
      await this.capture(workshopId, trigger, null, boards, latestId)
    } finally {
      release(boards)
    }
  }

  /** Takes and stores a snapshot; callers hold the workshop's turn ({@link serially}). */
  private async capture(workshopId: string, trigger: SnapshotTrigger, label: string | null, read?: ReadBoards, fence?: string | null): Promise<PlanRecord> {
    const workshop = await this.options.store.getWorkshop(workshopId)
    if (!workshop) throw new Error(`no workshop ${workshopId}`)
    // Read with the workshop, before the boards: revealed votes become part of the plan ([P10]).
    const votes = await this.options.store.listVotes(workshopId)
    const state = this.stateOf(workshopId)
    state.edited = false
    const boards = read ?? (await this.readBoards(workshopId, this.copyBase(workshopId)))
    try {
      return await this.storeSnapshot(workshopId, workshop, trigger, label, boards, votes, fence)
    } catch (error) {
      if (!(error instanceof SnapshotCopySourceError)) throw error
      // The snapshot the unchanged boards' rows were to be copied from is gone (deleted meanwhile):
      // read again and encode every board.
      this.options.log.warn('snapshot.copy_refused', { workshop: workshopId, error: String(error) })
      forgetLast(state)
      const again = await this.readBoards(workshopId)
      try {
        return await this.storeSnapshot(workshopId, workshop, trigger, label, again, votes, fence)
      } finally {
        release(again)
      }
    } finally {
      if (!read) release(boards)
    }
  }

  /**
   * [S16] What a snapshot taken now may copy rows from: the workshop's last snapshot, when this
   * instance knows its boards' versions (a board at those versions holds what its row holds).
   * Another instance's snapshot stored since does not make that wrong: rows are never changed.
   */
  private copyBase(workshopId: string): CopyBase | undefined {
    const { last, lastId } = this.stateOf(workshopId)
    return last !== undefined && typeof lastId === 'string' ? { id: lastId, versions: last } : undefined
  }

  private async storeSnapshot(
    workshopId: string,
    workshop: StoredWorkshop,
    trigger: SnapshotTrigger,
    label: string | null,
    boards: ReadBoards,
    votes: readonly VoteRecord[],
    fence: string | null | undefined,
  ): Promise<PlanRecord> {
    const state = this.stateOf(workshopId)
    const present = this.presentNames(workshopId)
    const everyone: ParticipantBoards = new Map()
    // [A18] Everyone who took part in the workshop so far: the newest snapshot's participants first
    // (QA q36b: a named snapshot after a break, with a session-end snapshot between, listed only the
    // facilitator, though the team and the customer had built the plan minutes before).
    const before = await this.participantsBefore(workshopId)
    for (const from of [before, state.seen, present]) addParticipants(everyone, from)
    const seen = namesWithBoards(everyone)
    const participants = [...seen.keys()]
    const started = performance.now()
    const takenAt = new Date().toISOString()
    const freshness = await this.freshness(workshopId, trigger, takenAt, boards)
    const input = { id: newSnapshotId(), workshop, takenAt, trigger, label, participants }
    // [A36] what was internal when it was taken judges what guests see of it, now and later.
    const internal = internalAccess(boards.docs)
    // [A17][A18] stored with the snapshot; guests' reads check it together with today's flags.
    const access: SnapshotAccess = {
      customerFacing: boards.customerFacing,
      participants: [...seen].map(([name, on]) => ({ name, boards: BOARD_IDS.filter((board) => on.has(board)) })),
      ...internal.access,
      guestVoters: guestVoters(votes, new Set(internal.access.internalIds)),
    }
    // [S16] boards read without a state are unchanged since `copyFrom`: the store copies their rows.
    const copied = BOARD_IDS.filter((board) => boards.docs[board].state === undefined)
    const rows: Pick<NewSnapshot, 'internalBoards' | 'copied'> = {
      internalBoards: internal.internalBoards,
      ...(boards.copyFrom !== undefined && copied.length > 0 ? { copied: { from: boards.copyFrom, boards: copied } } : {}),
    }
    let snapshot = { ...buildSnapshot({ ...input, boards: boards.docs, freshness, votes }), access, ...rows }
    const insert = async (record: typeof snapshot) => {
      const stored = fence === undefined ? (await this.options.store.insertSnapshot(record), true) : await this.options.store.insertSnapshotIfLatest(record, fence)
      if (stored) return
      // [I3] what this instance knew of the workshop's snapshots is out of date: read it again next time.
      forgetLast(state)
      throw new SnapshotSuperseded()
    }
    state.fresh = freshness
    try {
      await insert(snapshot)
    } catch (error) {
      // [S16] an extracted plan the store finds invalid is a bug of extraction, not a lost snapshot.
      if (!(error instanceof z.ZodError)) throw error
      this.options.log.error('snapshot.invalid_plan', { workshop: workshopId, error: String(error).slice(0, 300) })
      snapshot = { ...withEmptyPlan(input, snapshot.boards, `The plan could not be stored: ${String(error)}`), access, ...rows }
      await insert(snapshot)
    }
    state.last = versionsOf(boards.docs)
    state.lastId = snapshot.plan.id
    state.seen = present
    state.attended = this.anyoneConnected(workshopId)
    this.options.log.info('snapshot.taken', {
      workshop: workshopId,
      snapshot: snapshot.plan.id,
      trigger,
      warnings: snapshot.plan.warnings.length,
      copied: rows.copied?.boards.join(','),
      ms: Math.round(performance.now() - started),
    })
    return snapshot.plan
  }

  /**
   * [PH12] What health's freshness is judged on: the plan last changed now if any board differs from
   * the last snapshot, else when that snapshot says it last changed; the last workshop is this
   * snapshot for a session end, else the newest session-end snapshot.
   */
  private async freshness(workshopId: string, trigger: SnapshotTrigger, takenAt: string, boards: ReadBoards): Promise<{ lastChangedAt: string | null; lastWorkshopAt: string | null }> {
    const state = this.stateOf(workshopId)
    // Read from storage once per workshop; afterwards each snapshot keeps it up to date.
    state.fresh ??= await this.storedFreshness(workshopId)
    const changed = state.fresh.lastChangedAt === null || !(await this.unchanged(workshopId, boards.docs))
    return {
      lastChangedAt: changed ? takenAt : state.fresh.lastChangedAt,
      lastWorkshopAt: trigger === 'session_end' ? takenAt : state.fresh.lastWorkshopAt,
    }
  }

  /** Freshness as the newest stored snapshot recorded it (null for a workshop without snapshots). */
  private async storedFreshness(workshopId: string): Promise<{ lastChangedAt: string | null; lastWorkshopAt: string | null }> {
    const summaries = await this.options.store.listSnapshots(workshopId)
    const latest = summaries[0]
    const previous = latest ? await this.options.store.getSnapshot(workshopId, latest.id).catch(() => undefined) : undefined
    return {
      lastChangedAt: previous?.health.freshness.lastChangedAt ?? null,
      lastWorkshopAt: summaries.find((s) => s.trigger === 'session_end')?.takenAt ?? null,
    }
  }

  /**
   * The plan as the boards are now, not stored: for the live health panel. Freshness counts the
   * plan as just changed when any board differs from the last snapshot. Computed again only after
   * a board changed (or a minute passed), so pages that poll cost nothing while nobody edits.
   */
  async livePlan(workshopId: string): Promise<PlanRecord> {
    return (await this.live(workshopId)).plan
  }

  /**
   * The live plan as a customer guest sees it (issue 13): sections of the boards customer-facing
   * now (`customerFacing`, the caller's flags) and throughout the read, without internal items,
   * internal fields or links to them. For a guest's link pickers and the team's "View as customer".
   */
  async liveCustomerView(workshopId: string, customerFacing: CustomerFacing): Promise<PlanView> {
    const live = await this.live(workshopId)
    const shown = Object.fromEntries(BOARD_IDS.map((board) => [board, customerFacing[board] === true && live.customerFacing[board] === true])) as CustomerFacing // one key per board
    return customerSafePlan(customerView(live.plan, shown), resolveSensitivity(live.access.sensitivity), new Set(live.access.internalIds))
  }

  /**
   * Drops the workshop's live plan: a board changed, or which boards or fields a guest sees did
   * (review of session 30: a guest's link pickers were read off the plan from before).
   */
  forgetLive(workshopId: string): void {
    this.livePlans.delete(workshopId)
    this.liveGenerations.set(workshopId, (this.liveGenerations.get(workshopId) ?? 0) + 1)
  }

  private async live(workshopId: string): Promise<LivePlan> {
    const generation = this.liveGenerations.get(workshopId) ?? 0
    const workshop = await this.options.store.getWorkshop(workshopId)
    if (!workshop) throw new Error(`no workshop ${workshopId}`)
    const cached = this.livePlans.get(workshopId)
    // Dropped by every room update (roomLoaded); aged out so freshness and overdue follow the clock.
    if (cached && Date.now() - Date.parse(cached.plan.takenAt) < (this.options.liveMaxAgeMs ?? LIVE_PLAN_MAX_AGE_MS)) return cached
    // Not stored: no board's state is encoded.
    const boards = await this.readBoards(workshopId, 'no states')
    try {
      const takenAt = new Date().toISOString()
      const freshness = await this.freshness(workshopId, 'manual', takenAt, boards)
      const snapshot = buildSnapshot({ id: 'live', workshop, takenAt, trigger: 'manual', label: null, participants: [], boards: boards.docs, freshness })
      // Read without states: nothing is encoded here.
      const live: LivePlan = { plan: snapshot.plan, customerFacing: boards.customerFacing, access: internalAccess(boards.docs).access }
      // Dropped while it was read (a board, the sharing or a sensitivity changed): served, not kept.
      if ((this.liveGenerations.get(workshopId) ?? 0) === generation) this.livePlans.set(workshopId, live)
      return live
    } finally {
      release(boards)
    }
  }

  /**
   * Every board's current document, with the boards that were customer-facing all along while
   * they were read ([A17]): read before and after, so a board switched either way meanwhile is
   * recorded as internal, and content written while it was internal is never recorded as shared.
   */
  private async readBoards(workshopId: string, base?: CopyBase | 'no states'): Promise<ReadBoards> {
    const { rooms, store } = this.options
    const before = await this.customerFacing(workshopId)
    const want = (board: BoardId): StateWanted => (base === 'no states' ? { state: false } : { unchangedSince: base?.versions[board] })
    const read = await Promise.all(BOARD_IDS.map(async (board) => [board, await currentBoardDoc(rooms, store, workshopId, board, want(board))] as const))
    if (read.some(([, doc]) => !doc)) throw new Error('a board could not be read')
    const docs = Object.fromEntries(read) as Record<BoardId, BoardDoc> // one entry per board, each checked just above
    const after = await this.customerFacing(workshopId)
    const customerFacing = Object.fromEntries(BOARD_IDS.map((board) => [board, before[board] === true && after[board] === true])) as CustomerFacing // one key per board
    return { docs, customerFacing, ...(base && base !== 'no states' ? { copyFrom: base.id } : {}) }
  }

  /** The workshop's customer-facing flags now; every board internal when it has no access state. */
  private async customerFacing(workshopId: string): Promise<CustomerFacing> {
    return (await this.options.store.getAccess(workshopId))?.customerFacing ?? allInternal()
  }

  /**
   * True when every board is as it was at the last snapshot; before the first snapshot, when
   * every board holds just its template ([S17]: opening a new workshop and leaving is no change).
   */
  private async unchanged(workshopId: string, boards: Record<BoardId, BoardDoc>): Promise<boolean> {
    return (await this.firstChange(workshopId, boards)) === undefined
  }

  /** The first board part that differs from the last snapshot, with what differs; undefined when none. */
  private async firstChange(workshopId: string, boards: Record<BoardId, BoardDoc>): Promise<string | undefined> {
    const last = await this.lastVersions(workshopId)
    const now = versionsOf(boards)
    for (const board of BOARD_IDS) {
      if (!Y.equalSnapshots(now[board].shared, last[board].shared)) return `${board} ${versionDifference(now[board].shared, last[board].shared)}`
    }
    // A session that wrote only internal items or fields changed the plan too. An internal
    // document's version also moves with [A35]'s balance marker (no content), so where it moved,
    // its content decides.
    const { lastId } = this.stateOf(workshopId)
    for (const board of BOARD_IDS) {
      if (Y.equalSnapshots(now[board].internal, last[board].internal)) continue
      const before = typeof lastId === 'string' ? await this.options.store.getSnapshotInternalBoard(workshopId, lastId, board) : undefined
      if (!sameInternalContent(boards[board].internal, before)) return `${board}/internal content`
    }
    return undefined
  }

  /** The participants of the workshop's newest stored snapshot, by name, with the boards each was on. */
  private async participantsBefore(workshopId: string): Promise<ParticipantBoards> {
    const { store } = this.options
    const [latest] = await store.listSnapshots(workshopId)
    const recorded = latest === undefined ? undefined : await store.getSnapshotAccess(workshopId, latest.id)
    const before: ParticipantBoards = new Map()
    for (const { name, boards } of recorded?.participants ?? []) before.set(`name:${name}`, { name, boards: new Set(boards) })
    return before
  }

  /** The boards' versions at the last snapshot, read from the newest stored one when not known. */
  private async lastVersions(workshopId: string): Promise<Versions> {
    const state = this.stateOf(workshopId)
    if (state.last === undefined) {
      const [latest] = await this.options.store.listSnapshots(workshopId)
      state.last = await this.loadLastVersions(workshopId, latest?.id)
      state.lastId = latest?.id ?? null
    }
    return state.last
  }

  /** The boards' versions at snapshot `latestId` (as its rows hold them); the templates' when undefined. */
  private async loadLastVersions(workshopId: string, latestId: string | undefined): Promise<Versions> {
    const { store } = this.options
    const versionOf = (state: Uint8Array | undefined): Y.Snapshot => {
      const doc = docFromUpdates(state ? [state] : [])
      const version = Y.snapshot(doc)
      doc.destroy()
      return version
    }
    const entries = await Promise.all(
      BOARD_IDS.map(async (board) => {
        if (latestId === undefined) return [board, { shared: versionOf(createSeededBoardUpdate(board)), internal: Y.emptySnapshot }] as const
        const [state, internal] = await Promise.all([store.getSnapshotBoard(workshopId, latestId, board), store.getSnapshotInternalBoard(workshopId, latestId, board)])
        return [board, { shared: versionOf(state), internal: versionOf(internal) }] as const
      }),
    )
    return Object.fromEntries(entries) as Versions // one entry per board
  }

  private presentNames(workshopId: string): ParticipantBoards {
    const present: ParticipantBoards = new Map()
    for (const board of BOARD_IDS) {
      const room = this.options.rooms.get(syncRoomName(workshopId, board))
      if (!room) continue
      const local = new Set<number>()
      for (const conn of room.connections) {
        for (const id of conn.awarenessIds) local.add(id)
        const name = participantNames(room.awareness, [...conn.awarenessIds]).at(-1)
        if (name !== undefined) noteParticipant(present, conn.participant, board, name)
      }
      // Published through another instance: known by name only.
      const elsewhere = [...room.awareness.getStates().keys()].filter((id) => !local.has(id))
      for (const name of participantNames(room.awareness, elsewhere)) noteParticipant(present, `name:${name}`, board, name)
    }
    return present
  }

  private async connectedElsewhere(workshopId: string): Promise<boolean> {
    return (await this.options.connectedAnywhere?.(workshopId).catch(() => false)) ?? false
  }

  private anyoneConnected(workshopId: string): boolean {
    return BOARD_IDS.some((board) => (this.options.rooms.get(syncRoomName(workshopId, board))?.connections.size ?? 0) > 0)
  }

  private stateOf(workshopId: string): WorkshopState {
    let state = this.workshops.get(workshopId)
    if (!state) {
      state = { edited: false, attended: false, seen: new Map(), last: undefined, lastId: undefined, queue: Promise.resolve(), fresh: undefined }
      this.workshops.set(workshopId, state)
    }
    return state
  }

  /** Runs `fn` after the workshop's earlier snapshot work, whether that succeeded or not. */
  private serially<T>(workshopId: string, fn: () => Promise<T>): Promise<T> {
    const state = this.stateOf(workshopId)
    const run = state.queue.then(fn, fn)
    state.queue = run.catch(() => undefined)
    return run
  }
}

/** Frees the private copies read from storage (never a live room's doc). */
function release(boards: ReadBoards): void {
  for (const board of BOARD_IDS) if (!boards.docs[board].live) boards.docs[board].doc.destroy()
}

/** After a snapshot stored elsewhere (or none stored): what this instance knew of the last one is out of date. */
function forgetLast(state: WorkshopState): void {
  state.last = undefined
  state.lastId = undefined
  state.fresh = undefined
}

/** What two versions of one document differ in, for the log: the clients whose clocks or deletions differ. */
function versionDifference(now: Y.Snapshot, before: Y.Snapshot): string {
  const clients = new Set([...now.sv.keys(), ...before.sv.keys(), ...now.ds.clients.keys(), ...before.ds.clients.keys()])
  const parts: string[] = []
  for (const client of clients) {
    const [a, b] = [now.sv.get(client) ?? 0, before.sv.get(client) ?? 0]
    if (a !== b) parts.push(`clock ${client}: ${b}->${a}`)
    const [da, db] = [now.ds.clients.get(client) ?? [], before.ds.clients.get(client) ?? []]
    const deleted = (items: typeof da) => items.map((item) => `${item.clock}+${item.len}`).join(',')
    if (deleted(da) !== deleted(db)) parts.push(`deleted ${client}: [${deleted(db)}]->[${deleted(da)}]`)
    if (parts.length >= 4) break
  }
  return parts.join('; ')
}

function versionsOf(boards: Record<BoardId, BoardDoc>): Versions {
  return Object.fromEntries(BOARD_IDS.map((board) => [board, boards[board].version])) as Versions // one entry per board
}
