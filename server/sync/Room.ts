/**
 * One loaded document (a board of a workshop): its Y.Doc, awareness, connections, and the
 * durability pipeline: apply → store (group commit) → relay ([S1]).
 */
import { ObservableV2 } from 'lib0/observable'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as Y from 'yjs'
import type { JsonObject, JsonValue } from '@tldraw/utils'
import type { BoardId } from '../../shared/boards.ts'
import { PreviewTurn, hasRecord, logSize, measureLogSize, readRecord } from '../../shared/docLayout.ts'
import { cardTypesWithProp, fieldDefault, internalRoomName, isInternalField, isInternalRecord, leakedProps, resolveSensitivity, sameJson, type BoardPart, type Sensitivity, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { templateRecordIds } from '../../shared/recordRights.ts'
import { CLOSE_CODES, boardFullReason, type CloseCode } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import { ClientIdHolders } from './ClientIdHolders.ts'
import { SensitivityGrace } from './SensitivityGrace.ts'
import { Connection } from './Connection.ts'
import { checkRecordOps, type PartRules } from './checkRecordOps.ts'
import { guestAwarenessMessage, guestOwnState, internalPartRules, sharedPartRules, type GuestVisibility } from './partRules.ts'
import { GuestPartOps, keepDeletedCards, mayRecreateKept, mergeBackRecreated, type GuestPartOp } from './keepGuestDeletes.ts'
import { applyInternalSide, invalidateBalanceMarker, isEmptyPlan, moveOutBeforeStore, rebalanceParts, splitServerUpdate } from './rebalanceParts.ts'
import { ProtocolError, decodeClientUpdate, decodeMessage, type AwarenessEntry, type DecodedClientUpdate, type DecodedUpdateWithValues, type UpdateWrites } from './decodeMessage.ts'
import { applyUpdateWithValues } from './decodeOnce.ts'
import type { CommitTarget, GroupCommit } from './GroupCommit.ts'
import { MISSING_STRUCTS, inspectUpdate, type DecodedUpdate, type UpdateLimits } from './inspectUpdate.ts'
import type { Refusal } from './updateOps.ts'
import { LogCompactor, type CompactionCluster } from './LogCompactor.ts'
import { UpdateRuns } from './updateRuns.ts'
import { encodeAwareness, encodeAwarenessEntries, encodeStateVectorOf, encodeSyncStep1, encodeSyncStep2, encodeSyncStep2FromUpdate, encodeUpdate, updateFrameFromParts, webSocketFrame } from './messages.ts'

export type RoomEvents = {
  /** A change became durable and was relayed (merged per group commit). */
  update: (update: Uint8Array, room: Room) => void
  /**
   * A group commit of this room's own updates was stored as row `seq` of the board's log (before
   * anything of it was relayed): what several instances fan out (server/cluster/BoardFanout.ts),
   * with how it was judged ([S39]).
   */
  committed: (seq: number, update: Uint8Array, room: Room, judged: RowJudged) => void
  /** The last connection left. */
  empty: (room: Room) => void
  /** The room cannot go on (storage failed or an update broke the doc); it must be dropped. */
  broken: (room: Room) => void
  /** [A37] An internal document's room accepted a write its board's shared room must move. */
  misrouted: () => void
  /** [A35] An internal document's room accepted a record moving between the documents: its shared room moves it. */
  moveAcross: () => void
  /**
   * [S3] Updates of connections that {@link Connection.departed departed}, which this room could not
   * store (it is reset, or the store failed): nobody will send them again, so they are kept and
   * replayed into the room once the store answers ({@link Room.replayDeparted}). Emitted before `broken`.
   */
  departed: (writes: DepartedWrites[], room: Room) => void
}

/**
 * [S39] How a stored row was judged: `generation`, the workshop's sensitivity generation the room
 * judged it by (0 for an internal document's room, which judges none); `clean`, false when an
 * update of it was kept by the grace of docs/security.md [A37] (judged by the sensitivity before
 * the last change, and moved after).
 */
export type RowJudged = { generation: number; clean: boolean }

/** [S39] A row of another instance as the bus brought it: its writer and how it judged the row. */
export type RemoteRow = RowJudged & { instance: string }

/** [S3] What a departed connection sent that was not stored: its update frames, in order. */
export type DepartedWrites = { conn: Connection; frames: Uint8Array[] }

export type RoomDeps = {
  store: Store
  commit: GroupCommit
  log: Logger
  compactAfterUpdates: number
  compactAfterBytes: number
  updateLimits: UpdateLimits
  /** With several instances: the applied prefix and the fenced compaction ({@link CompactionCluster}). */
  cluster?: CompactionCluster
  /** Issue 13: the board's internal document, for the room of its shared document. */
  internal?: Room
  /** Issue 13: the workshop's field sensitivities (defaults when absent). */
  sensitivity?: Sensitivity
  /** [S37] Their generation, as read with them (0 when absent). */
  sensitivityGeneration?: number
  /**
   * [S37] A room read a newer sensitivity than this instance had heard of (its append was refused):
   * apply it as a change heard from another instance (docs/security.md [A24]). Absent: the room
   * and its internal room take it alone.
   */
  heardSensitivity?: (workshopId: string, overrides: SensitivityOverrides, generation: number) => void
}

/** `touched`: the records a client update of the entry wrote ([S37]); absent for server changes. */
type Unflushed = {
  seq: number
  update: Uint8Array
  origin: unknown
  touched?: ReadonlySet<string>
  from?: readonly Received[]
  /** [S39] Kept by the grace of [A37]: held from guests until the move, published as not clean. */
  misrouted?: boolean
}
type Received = Pick<DecodedClientUpdate, 'update' | 'writes' | 'entries'> & {
  conn: Connection
  /** A sync step 2 (the answer to our step 1) or an incremental update. */
  kind: 'syncStep2' | 'syncUpdate'
  /** Record ids the update wrote or deleted entries of, once it was checked and applied. */
  touched?: ReadonlySet<string>
}
type Outgoing = { seq: number; conn: Connection; message: Uint8Array }
/** A client update waiting for the store's answer about its client ids ([S29]). */
type LookingUp = { conn: Connection; update: Uint8Array; kind: Received['kind'] }

/** A JSON object (a record's base entry), as opposed to an array or a scalar. */
function isPlainRecord(value: JsonValue): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Most cached step 2 answers per doc version ([S30]). */
const STEP2_CACHE_SIZE = 16

/**
 * Origin of rows another instance stored, applied through {@link Room.applyRemote}: already
 * checked and durable, so relayed at once and never stored again.
 */
export const REMOTE_ORIGIN = 'remote'

/** Origin of changes made by server code through {@link Room.applyServerUpdate}. */
export const SERVER_ORIGIN = 'server'
/** Origin of values moving between a board's shared and internal documents ([A35]). */
export const PARTS_ORIGIN = 'parts'
/**
 * Origin of a transaction applying the updates of several peers together: per sender, per Yjs
 * client id, the clock below which it holds everything it sent ({@link UpdateWrites}).
 */
export class BatchOrigin {
  readonly senders = new Map<Connection, Map<number, number>>()
  private readonly writers = new Map<string, Connection>()

  add(conn: Connection, writes: UpdateWrites): void {
    let clocks = this.senders.get(conn)
    if (!clocks) this.senders.set(conn, (clocks = new Map()))
    for (const [client, end] of writes) if (end > (clocks.get(client) ?? 0)) clocks.set(client, end)
  }

  /** Records that `conn`'s update of this batch wrote or deleted entries of `recordIds`. */
  touched(conn: Connection, recordIds: Iterable<string>): void {
    for (const id of recordIds) this.writers.set(id, conn)
  }

  /** The connection whose update of this batch changed `recordId` (the last one, if several did). */
  senderOf(recordId: string): Connection | undefined {
    return this.writers.get(recordId)
  }
}

/**
 * Who changed `recordId` in the transaction with `origin`: the connection itself when a batch had
 * one sender, else asked of its {@link BatchOrigin}; undefined for server changes.
 */
export function senderOf(origin: unknown, recordId: string): Connection | undefined {
  if (origin instanceof Connection) return origin
  if (origin instanceof BatchOrigin) return origin.senderOf(recordId)
  return undefined
}

/** [S29] Whether two connections are one participant's: the same key, or (neither keyed) the same user id. */
function sameParticipant(a: Connection, b: Connection): boolean {
  return a.participant === b.participant
}

export class Room extends ObservableV2<RoomEvents> implements CommitTarget {
  /** Live document. Read it freely; change it only through {@link applyServerUpdate} or a transaction. */
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly connections = new Set<Connection>()
  /** [S29] Which connection holds each Yjs client id it wrote or announced. */
  private readonly owners = new Map<number, Connection>()
  /** [S29] Which participant holds each Yjs client id for good (in the store). */
  private readonly holders: ClientIdHolders

  private readonly deps: RoomDeps
  private localSeq = 0
  /** Client updates received since the last group commit, applied together by {@link applyQueued}. */
  private received: Received[] = []
  /** [S26] Connections an update of which was refused: nothing they sent after it is applied. */
  private readonly refusedSenders = new WeakSet<Connection>()
  /** [S3] The updates {@link applyQueued} is applying: a reset while it does hands them over. */
  private applying: readonly Received[] = []
  /** [S3] Updates waiting for the store's answer about their client ids, in the order they arrived. */
  private readonly lookingUp = new Set<LookingUp>()
  /** [S3] Departed connections an update of which this room could not store: their later ones wait with it. */
  private readonly unstoredSenders = new WeakSet<Connection>()
  /** Connections asked for a step 2 after an update building on structs the board lacks ([S26]). */
  private readonly awaitingStep2 = new WeakSet<Connection>()
  /** Per connection, the state vector its last sync step 1 declared (what the client holds). */
  private readonly declared = new WeakMap<Connection, Map<number, number>>()
  private unflushed: Unflushed[] = []
  private outbox: Outgoing[] = []
  private durableWaiters: Array<() => void> = []
  private capture: Uint8Array[] | undefined
  /** Cached step 2 for new peers, valid while `seq` equals `localSeq`. */
  private fullStep2: { seq: number; message: Uint8Array } | undefined
  /** Cached step 2 answers by reduced state vector ({@link step2Key}), valid while `seq` equals `localSeq`. */
  private step2Cache: { seq: number; answers: Map<string, Uint8Array> } = { seq: -1, answers: new Map() }
  private readonly compactor: LogCompactor
  private destroyed = false
  /** Issue 13: the room of the board's internal document (set on the shared document's room). */
  readonly internal: Room | undefined
  /** Issue 13: the sensitivities, with the grace of the one before the last change ([A37]). */
  private readonly sensitivities: SensitivityGrace
  /** [S37] The workshop's generation of {@link sensitivity}. */
  private generation: number
  /** [S37] {@link rejudge} moved values out of the doc: the held updates are stored as {@link takeRewrite} encodes them. */
  private rewrite = false
  /**
   * [S39] Rows of other instances that carried values internal by {@link sensitivity} were relayed
   * to the team only: per Yjs client, the clock from which the guests lack what the doc holds.
   * Undefined when nothing is held.
   */
  private heldFromGuests: Map<number, number> | undefined
  /** [S39] Bumped at each held row: a move that started before it may not have taken its values. */
  private holdEpoch = 0
  /**
   * [S39] Guests wait for this room's own move (a change judged by, {@link judgeBy}; a write kept by
   * the grace here, [A37]), not only for another instance's.
   */
  private awaitingOwnMove = false
  /** [S39] Bumped each time {@link awaitingOwnMove} is set: a move asked for before it does not end the wait. */
  private ownMovesAsked = 0
  /**
   * [S39] Rows of other instances held from guests: their writers (undefined: read from the store,
   * writer unknown) and since when. The writer moves them; this room waits for its move's rows and
   * moves them itself only when the fan-out says the writer is gone ({@link moveHeld}).
   */
  private heldRemote: { writers: Set<string | undefined>; sinceMs: number } | undefined
  /** [S39] {@link moveHeld} is running. */
  private movingHeld = false
  /** [S39] The bus row being applied ({@link applyRemote}); undefined for rows read from the store. */
  private applyingRow: RemoteRow | undefined
  /** [S39] A write of this turn was kept by the grace of [A37] ({@link applyQueued} marks its entries). */
  private misroutedTurn = false
  /** [S39] Guests whose step 1 is answered once the held rows are moved (their state vectors). */
  private readonly guestsWaiting = new Map<Connection, Uint8Array>()
  private readonly partRules: PartRules
  /** [A40] The guest deletes and re-creates of cards the record pass accepted in this turn. */
  private readonly guestOps = new GuestPartOps()
  /** Internal document's room: the room of its board's shared document, once that one is loaded. */
  private sharedPart: Room | undefined

  /**
   * Loads `<workshopId>/<board>` (or its internal document, `…/internal`) from storage ([S3]); the
   * room is usable when this resolves. The shared document's room is given its internal room in
   * `deps.internal`, and moves what its sensitivity says belongs there ([A35]).
   */
  static async load(workshopId: string, board: BoardId, deps: RoomDeps, part: BoardPart = 'shared'): Promise<Room> {
    const name = part === 'internal' ? internalRoomName(workshopId, board) : `${workshopId}/${board}`
    const [persisted, holders] = await Promise.all([deps.store.loadDocument(name), ClientIdHolders.load(name, deps.store, deps.log)])
    const doc = new Y.Doc()
    // One transaction over all rows: ~5x faster than Y.mergeUpdates on a merged state plus a tail
    // of small updates (measured: 600 KB state + 400 updates, 25-40 ms vs 140-260 ms).
    doc.transact(() => {
      for (const update of persisted.updates) Y.applyUpdate(doc, update)
    })
    const room = new Room(name, workshopId, board, part, doc, new LogCompactor(name, persisted, doc, deps), deps, persisted.lastSeq, holders)
    // [S23] A board stored as one row (a merged state, or the template) is exactly the doc: it is
    // the step 2 for a new peer as it is, without re-encoding the whole doc (~65 ms for 2 MB).
    const [only] = persisted.updates
    if (only !== undefined && persisted.updates.length === 1) room.fullStep2 = { seq: 0, message: encodeSyncStep2FromUpdate(only) }
    room.compactor.maybeCompact()
    // [S21] A board that never stored a row (one added after its workshop was created: the
    // objectives and whitespace boards of workshops older than issue 15) gets its template now,
    // stored and relayed like any server change before anyone joins. The seed is the same bytes
    // every time, so two servers or two loads seeding it at once change nothing.
    if (part === 'shared' && persisted.updates.length === 0 && persisted.lastSeq === 0) await room.applyServerUpdate(createSeededBoardUpdate(board))
    // [A35] boards stored before issue 13 hold their internal values in the shared document; [S37]
    // a board marked balanced for this sensitivity has only what its internal document holds read.
    if (deps.internal) await room.rebalance(room.sensitivity, true)
    return room
  }

  private constructor(
    readonly name: string,
    readonly workshopId: string,
    readonly board: BoardId,
    /** Which of the board's two documents this room holds (issue 13). */
    readonly part: BoardPart,
    doc: Y.Doc,
    compactor: LogCompactor,
    deps: RoomDeps,
    /** The number of the last stored row the load read: the room holds every row up to it. */
    readonly loadedSeq: number,
    holders: ClientIdHolders,
  ) {
    super()
    this.holders = holders
    this.doc = doc
    // [S28] the board size caps count the content of both documents.
    measureLogSize(doc)
    this.deps = deps
    this.compactor = compactor
    this.internal = deps.internal
    this.generation = deps.sensitivityGeneration ?? 0
    this.sensitivities = new SensitivityGrace(
      deps.sensitivity ?? resolveSensitivity(undefined),
      () => this.moveMisrouted(),
      (error) => this.deps.log.error('sync.move_misrouted_failed', { room: this.name, error: String(error) }),
    )
    const previous = () => this.sensitivities.previous()
    const sharedDoc = () => (this.sharedPart && !this.sharedPart.destroyed ? this.sharedPart.doc : undefined)
    this.partRules =
      part === 'internal'
        ? internalPartRules({
            sensitivity: () => this.sensitivity,
            previous,
            misrouted: () => this.emit('misrouted', []),
            sharedRecord: (id) => {
              const doc = sharedDoc()
              return doc ? readRecord(doc, id).record : null
            },
            sharedHas: (id) => {
              const doc = sharedDoc()
              return doc !== undefined && hasRecord(doc, id)
            },
            moveAcross: () => this.emit('moveAcross', []),
          })
        : sharedPartRules({
            sensitivity: () => this.sensitivity,
            isInternalItem: (id) => this.isInternalItem(id),
            previous,
            misrouted: this.onMisroutedHere,
            internalRecord: (id) => (this.internal && !this.internal.destroyed ? readRecord(this.internal.doc, id).record : null),
            moveAcross: this.onMisrouted,
            guestDeleted: (id, before, writer) => this.guestOps.deleted(id, before, writer.userId),
            mayRecreateKept: (id, writer) => this.internal !== undefined && !this.internal.destroyed && mayRecreateKept(this.internal.doc, id, writer),
            guestRecreated: (id, writer) => this.guestOps.recreated(id, writer.userId),
          })
    this.internal?.on('misrouted', this.onMisrouted)
    this.internal?.on('moveAcross', this.onMisrouted)
    if (this.internal) this.internal.sharedPart = this
    this.awareness = new awarenessProtocol.Awareness(doc)
    // The server is not a participant: it has no awareness state of its own.
    this.awareness.setLocalState(null)
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (this.capture) this.capture.push(update)
      else if (origin === REMOTE_ORIGIN) this.relayRemote(update)
      else this.track(update, origin)
    })
    this.awareness.on('update', this.onAwarenessUpdate)
  }

  /**
   * Adds a connection: sends step 1 and the current awareness, then processes its frames. One the
   * peer closed while the room loaded does not join, but the updates it sent are judged and kept ([S3]).
   */
  addConnection(conn: Connection): void {
    if (conn.closed) return conn.attach((frame, closing) => this.receive(conn, frame, closing))
    this.connections.add(conn)
    conn.onClose(() => this.removeConnection(conn))
    conn.send(encodeSyncStep1(this.doc))
    const clients = [...this.awareness.getStates().keys()]
    if (clients.length > 0) conn.send(conn.role === 'guest' ? this.guestAwareness(clients) : encodeAwareness(this.awareness, clients))
    conn.attach((frame, closing) => this.receive(conn, frame, closing))
    this.deps.log.info('sync.join', { room: this.name, conn: conn.id, readOnly: conn.readOnly, peers: this.connections.size })
  }

  /**
   * [S3] Judges and keeps, like frames held when their peer left, what a departed connection sent
   * that a failed load or a reset room never stored: the frames it queued before any room loaded,
   * then `frames`. Nothing after a refused one counts.
   */
  replayDeparted(conn: Connection, frames: readonly Uint8Array[]): void {
    if (!conn.departed || this.destroyed) return
    this.unstoredSenders.delete(conn)
    conn.attach((frame, closing) => this.receive(conn, frame, closing))
    for (const frame of frames) if (conn.departed) this.receive(conn, frame, true)
  }

  /**
   * Applies a change made by server code (e.g. restoring a snapshot). It is stored and relayed like
   * any client update; the promise resolves once it is durable and rejects on an undecodable update.
   */
  async applyServerUpdate(update: Uint8Array, origin: unknown = SERVER_ORIGIN): Promise<void> {
    // Runs synchronously up to the await: the update is applied in call order.
    if (this.destroyed) throw new Error(`room ${this.name} is unloaded`)
    Y.decodeUpdate(update)
    const internal = this.internal
    if (internal) {
      // [A35] a restore or revert may bring back values stored before they were split.
      const split = splitServerUpdate(this.doc, internal.doc, update, this.sensitivity, PARTS_ORIGIN)
      // Applied as split, not split again: the internal side's removals come after it, so a
      // second split would plan them again, and again (a restore next to a record leaving the
      // internal document, or an overlay field visible now, never finished).
      if (!isEmptyPlan(split.plan)) return applyInternalSide(internal, split.plan, PARTS_ORIGIN, () => this.applyAsSplit(split.update, origin))
    }
    return this.applyAsSplit(update, origin)
  }

  /** {@link applyServerUpdate} once its values are where the sensitivity says. */
  private async applyAsSplit(update: Uint8Array, origin: unknown): Promise<void> {
    if (this.destroyed) throw new Error(`room ${this.name} is unloaded`)
    if (!this.applyCaptured(origin, (doc) => Y.applyUpdate(doc, update, origin))) throw new Error(`update could not be applied; room ${this.name} was reset`)
    await this.whenDurable()
  }

  /**
   * Applies row `seq` of the board's log that another instance stored (or a merged row of a
   * compaction), and relays what was new in it to every peer at once: it is already checked and
   * durable, so it is not stored again. Callers apply rows in sequence order.
   */
  applyRemote(update: Uint8Array, seq: number, row?: RemoteRow): void {
    if (this.destroyed) return
    this.compactor.appended(1, update.byteLength, seq)
    this.applyingRow = row
    try {
      Y.applyUpdate(this.doc, update, REMOTE_ORIGIN)
    } catch (error) {
      // A stored row that does not apply: the doc may be half-changed; everyone resyncs from storage.
      this.deps.log.error('sync.remote_apply_failed', { room: this.name, seq, error: String(error) })
      this.breakRoom(CLOSE_CODES.tryAgainLater, 'room reset, reconnect')
    } finally {
      this.applyingRow = undefined
    }
    // [S39] the writer's move may have come with this row: the guests get what they lack once clean.
    if (this.heldRemote && !this.awaitingOwnMove && !this.destroyed) this.releaseIfMoved()
  }

  /**
   * [A35] Moves what the current {@link sensitivity} says belongs in the other document (shared
   * document's room only); resolves once it is durable. Returns how many records moved. `onLoad`
   * trusts the board's [S37] marker.
   */
  async rebalance(sensitivity: Sensitivity = this.sensitivity, onLoad = false): Promise<number> {
    this.sensitivity = sensitivity
    if (!this.internal) return 0
    this.internal.sensitivity = sensitivity
    const epoch = this.holdEpoch
    const asked = this.ownMovesAsked
    const moved = await rebalanceParts(this, this.internal, sensitivity, PARTS_ORIGIN, onLoad)
    this.deps.log.info('sync.parts_moved', { room: this.name, moved, onLoad })
    // Read whole since it was asked for: what it was asked to move is moved.
    if (asked === this.ownMovesAsked) this.awaitingOwnMove = false
    // A change judged by or a write kept meanwhile: the move that follows releases.
    if (this.awaitingOwnMove) return moved
    if (epoch === this.holdEpoch) this.releaseToGuests()
    // Rows of other instances held meanwhile wait for their writer's move, which may be in already.
    else if (this.heldRemote && !this.destroyed) this.releaseIfMoved()
    return moved
  }

  /**
   * [S39] Rows of other instances held from guests, if any: who wrote them (undefined: unknown)
   * and since when. The fan-out asks, to take over the move of a writer that is gone.
   */
  get heldRows(): { readonly writers: ReadonlySet<string | undefined>; readonly sinceMs: number } | undefined {
    return this.heldRemote
  }

  /**
   * [S39] Moves the held rows' values itself: their writer is gone (or unknown and silent) and this
   * instance leads the board ({@link heldRows}). Resolves once durable; the guests then get them.
   */
  async moveHeld(): Promise<void> {
    if (!this.heldRemote || this.movingHeld || this.destroyed || this.internal?.destroyed !== false) return
    this.movingHeld = true
    try {
      await this.takeOverMove()
    } finally {
      this.movingHeld = false
    }
  }

  /** {@link moveHeld}, one at a time. */
  private async takeOverMove(): Promise<void> {
    if (!this.heldRemote) return
    this.deps.log.warn('sync.held_rows_taken_over', { room: this.name, writers: [...this.heldRemote.writers].map((w) => w ?? 'unknown').join(' ') })
    // A load trusting the marker would not read the held values: unmarked until this move marks it.
    this.invalidateBalance()
    await this.whenDurable()
    await this.rebalance()
  }

  /**
   * [S39] Whether a row of another instance carries a value internal by the current sensitivity:
   * a record's base (whole) that is internal or holds an internal field off its default, or a
   * field entry of an internal field, or of a record internal as it is now. Such a row was stored
   * before a change of sensitivity this room judges by; the move takes its values out.
   */
  private carriesInternal(update: Uint8Array): boolean {
    const sensitivity = this.sensitivity
    for (const struct of Y.decodeUpdate(update).structs) {
      if (!(struct instanceof Y.Item) || !(struct.content instanceof Y.ContentAny)) continue
      for (const entry of struct.content.arr as unknown[]) {
        if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') continue
        const [id, field, value] = entry as [string, string, JsonValue]
        if (field === '') {
          if (isPlainRecord(value) && (isInternalRecord(value, sensitivity) || leakedProps(value, sensitivity).length > 0)) return true
          continue
        }
        const { record } = readRecord(this.doc, id)
        if (record && isInternalRecord(record, sensitivity)) return true
        if (!field.startsWith('props.')) continue
        const prop = field.slice('props.'.length)
        const types = record && typeof record.type === 'string' ? [record.type] : cardTypesWithProp(prop)
        if (types.some((type) => isInternalField(sensitivity, type, prop) && !sameJson(value, fieldDefault(type, prop)))) return true
      }
    }
    return false
  }

  /** [S39] Once the held rows' values moved: the guests get what they lack, encoded from the doc, and their step 2 answers. */
  private releaseToGuests(): void {
    const held = this.heldFromGuests
    if (!held || this.destroyed) return
    this.heldFromGuests = undefined
    this.heldRemote = undefined
    this.awaitingOwnMove = false
    if (held.size > 0) this.sendHeldToGuests(held)
    for (const [conn, stateVector] of this.guestsWaiting) if (!conn.closed) this.sendDocMessage(conn, this.encodeStep2(stateVector))
    this.guestsWaiting.clear()
  }

  /** [S39] Holds `update` (a row) from guests until a move: notes from which clocks they lack it. */
  private holdFromGuests(update: Uint8Array): void {
    const held = (this.heldFromGuests ??= new Map())
    for (const [client, clock] of Y.parseUpdateMeta(update).from) held.set(client, Math.min(held.get(client) ?? clock, clock))
    this.holdEpoch++
  }

  /** [S39] What the guests lack since the held rows (per client, from `held`), encoded from the doc. */
  private sendHeldToGuests(held: ReadonlyMap<number, number>): void {
    // Encoded from the doc, whose garbage collection dropped the moved values: not in these bytes.
    const since = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    for (const [client, clock] of held) since.set(client, Math.min(since.get(client) ?? clock, clock))
    const message = encodeUpdate(Y.encodeStateAsUpdate(this.doc, encodeStateVectorOf(since)))
    for (const conn of this.connections) if (conn.role === 'guest' && !this.guestsWaiting.has(conn)) conn.send(message)
  }

  /**
   * [S39] Releases rows of other instances held from guests once what the guests lack since them,
   * encoded from the doc, carries nothing internal: their writer's move reached this room.
   */
  private releaseIfMoved(): void {
    const held = this.heldFromGuests
    if (!held) return
    const since = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    for (const [client, clock] of held) since.set(client, Math.min(since.get(client) ?? clock, clock))
    if (!this.carriesInternal(Y.encodeStateAsUpdate(this.doc, encodeStateVectorOf(since)))) this.releaseToGuests()
  }

  /** Issue 13: the workshop's field sensitivities, as of the last load or change. */
  get sensitivity(): Sensitivity {
    return this.sensitivities.current
  }

  set sensitivity(next: Sensitivity) {
    this.sensitivities.set(next)
  }

  /**
   * [A37] The internal room accepted an overlay field visible now: a load reads every overlay anyway
   * ([S37]). [A35] Or a record moving between the documents was accepted (here or in the internal
   * room): the move removes its old copy once the new one is durable.
   */
  private readonly onMisrouted = (): void => this.sensitivities.moveSoon()

  /**
   * [A37] This shared document accepted, in this turn, a write routed by the previous sensitivity:
   * [S37] the marker is invalidated in the same turn, so in the same store transaction as the
   * write, before it is relayed; then the values move.
   */
  private readonly onMisroutedHere = (): void => {
    // [S39] held from guests until the move: a guest's step 1 answered meanwhile waits for it.
    this.heldFromGuests ??= new Map()
    this.awaitingOwnMove = true
    this.ownMovesAsked++
    this.misroutedTurn = true
    this.invalidateBalance()
    this.sensitivities.moveSoon()
  }

  /** [S37] Until the next move, no load trusts the board's marker ({@link invalidateBalanceMarker}). */
  private invalidateBalance(): void {
    if (this.internal && !this.internal.destroyed) invalidateBalanceMarker(this.internal.doc, PARTS_ORIGIN)
  }

  /**
   * [S37] Shared document's room: the workshop's generation of the sensitivity it judges updates
   * by; the store appends its updates only while that generation is the stored one.
   */
  get sensitivityGeneration(): number | undefined {
    return this.internal ? this.generation : undefined
  }

  /**
   * [S37] From now on judges by `sensitivity`, the workshop's generation `generation` of it (with
   * the internal room); false, and nothing changed, when it knew that generation already.
   */
  judgeBy(sensitivity: Sensitivity, generation: number | undefined): boolean {
    if (generation !== undefined && generation <= this.generation) return false
    if (generation !== undefined) this.generation = generation
    // [S39] the doc may hold values stored before the change: guests' step 2 waits for the move
    // that follows every change judged by ({@link rebalance}).
    if (this.internal) {
      this.heldFromGuests ??= new Map()
      this.awaitingOwnMove = true
      this.ownMovesAsked++
    }
    this.sensitivity = sensitivity
    if (this.internal) this.internal.sensitivity = sensitivity
    return true
  }

  /**
   * [A24][S37] A change of sensitivity stored by another instance was heard (`generation`: absent
   * from an instance that does not send it): what this room accepted before was judged by the old
   * one, so the marker that instance wrote does not vouch for it. The marker is invalidated at once
   * and the board's values move again, read whole. Nothing when the room knew that generation.
   */
  heardSensitivityChange(sensitivity: Sensitivity, generation: number | undefined): void {
    if (!this.judgeBy(sensitivity, generation)) return
    this.invalidateBalance()
    this.sensitivities.moveSoon()
  }

  /**
   * [S37][S39] Reads the workshop's stored sensitivity (shared document's room only): a generation
   * newer than the room's is heard as a change from another instance, by the instance's other rooms
   * and pages too. The catch-up calls it before applying rows it read ({@link applyRemote}): a row
   * stored before a change this instance has not heard of by event is then judged by the change,
   * and held from guests when it carries what is internal now. [S40] A change in flight (its
   * generation already announced on Redis, not yet committed) is waited for: the read is settled.
   * Resolves with the stored generation, undefined for a workshop that is gone (or another room).
   */
  async readStoredSensitivity(): Promise<number | undefined> {
    if (!this.internal) return undefined
    const access = await this.deps.store.getAccess(this.workshopId, { settled: true })
    const generation = access?.sensitivityGeneration ?? 0
    if (generation > this.generation && !this.destroyed) {
      // The instance's other rooms and pages hear it too; this room at least (a no-op when done).
      this.deps.heardSensitivity?.(this.workshopId, access?.sensitivity ?? {}, generation)
      this.heardSensitivityChange(resolveSensitivity(access?.sensitivity), generation)
    }
    return access && generation
  }

  /**
   * @internal GroupCommit ([S37]): the store refused this room's updates up to `localSeq`, judged
   * by an older sensitivity than the workshop's stored one. The room reads the stored one (this
   * is how it hears of a change whose event never came) and judges the records those updates wrote
   * again, as docs/security.md [A31] would have: a record now internal, or holding an internal
   * field, is kept within the grace of [A37] (the marker invalidated, written with the updates,
   * then moved), and refused outside it (its writer closed, the room reset: nothing of it is
   * stored or relayed). Server changes (moves planned by the old sensitivity) are kept. What is
   * kept and internal now moves to the internal document before anything of it is stored or
   * relayed ({@link moveOutBeforeStore}; the held updates are then stored as the doc holds them,
   * {@link takeRewrite}), and the rest of the move follows. True when the updates may be appended
   * again.
   */
  async rejudge(localSeq: number): Promise<boolean> {
    await this.readStoredSensitivity()
    if (this.destroyed || this.internal?.destroyed !== false) return false
    const sensitivity = this.sensitivity
    const inGrace = this.sensitivities.previous() !== undefined
    let misrouted = false
    const refused = new Map<Connection, string>()
    for (const entry of this.unflushed) {
      if (entry.seq > localSeq) break
      if (!entry.touched) {
        misrouted = true
        continue
      }
      for (const id of entry.touched) {
        const { record } = readRecord(this.doc, id)
        if (!record || (!isInternalRecord(record, sensitivity) && leakedProps(record, sensitivity).length === 0)) continue
        misrouted = true
        const writer = senderOf(entry.origin, id)
        // [A37] the grace is a team page's, never a guest's.
        if (writer && (!inGrace || writer.role === 'guest')) refused.set(writer, `${id.slice(0, 60)} holds what is internal now`)
      }
    }
    if (refused.size > 0) {
      for (const [conn, reason] of refused) {
        this.deps.log.warn('sync.update_refused', { room: this.name, conn: conn.id, code: CLOSE_CODES.updateRefused, reason })
        conn.close(CLOSE_CODES.updateRefused, reason)
      }
      // The doc holds what was refused: everyone resyncs from storage (their own edits come back with them).
      this.breakRoom(CLOSE_CODES.tryAgainLater, 'room reset, reconnect')
      return false
    }
    if (!misrouted) return true
    this.onMisroutedHere()
    this.misroutedTurn = false
    for (const entry of this.unflushed) if (entry.seq <= localSeq) entry.misrouted = true
    const moved = await moveOutBeforeStore(this, this.internal, sensitivity, PARTS_ORIGIN)
    if (this.internal.destroyed) {
      // The internal room broke: the move's additions may not be stored, so nothing of this may be.
      this.breakRoom(CLOSE_CODES.tryAgainLater, 'room reset, reconnect')
      return false
    }
    this.rewrite = moved
    return !this.destroyed
  }

  /**
   * @internal GroupCommit ([S37]), once {@link rejudge} kept the held updates: when it moved values
   * out of the doc meanwhile, every update not yet stored, as one update encoded from the doc now.
   * Merged as they were, they would still carry the moved values (deleted, but in their bytes) to
   * every peer; encoded from the doc, whose garbage collection dropped them, they do not.
   */
  takeRewrite(): Uint8Array | undefined {
    if (!this.rewrite) return undefined
    this.rewrite = false
    if (this.destroyed) return undefined
    const before = Y.decodeStateVector(Y.encodeStateVector(this.doc))
    for (const { update } of this.unflushed) {
      for (const [client, clock] of Y.parseUpdateMeta(update).from) before.set(client, Math.min(before.get(client) ?? clock, clock))
    }
    return Y.encodeStateAsUpdate(this.doc, encodeStateVectorOf(before))
  }

  /** [A37] Moves what a page routing by the previous sensitivity wrote into the wrong document, once durable. */
  private async moveMisrouted(): Promise<void> {
    await this.whenDurable()
    if (this.destroyed || this.internal?.destroyed !== false) return
    await this.rebalance()
  }

  /** True when `id` is an internal item of the board (a whole record of its internal document). */
  isInternalItem(id: string): boolean {
    return this.internal !== undefined && !this.internal.destroyed && hasRecord(this.internal.doc, id)
  }

  /** Resolves once every change received or applied so far is durable and relayed. */
  whenDurable(): Promise<void> {
    // [S29] updates still waiting for the store's answer about their client ids come first.
    if (this.holders.waitingCount > 0 && !this.destroyed) return this.holders.settled().then(() => this.whenDurable())
    if (this.unflushed.length === 0 && this.received.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.durableWaiters.push(resolve))
  }

  /**
   * [S23] Compacts the stored log into one row now (thresholds aside), e.g. before unloading, so
   * that the next load applies one merged state. Safe under concurrent writes ([S5]).
   */
  compactNow(): Promise<void> {
    return this.compactor.compactNow()
  }

  /** Numbers for tests and diagnostics. */
  stats(): { connections: number; unflushed: number; logRows: number; appendedBytes: number } {
    // Updates waiting for the store's answer about their client ids ([S29]) are not durable yet either.
    return { connections: this.connections.size, unflushed: this.unflushed.length + this.received.length + this.holders.waitingCount, ...this.compactor.stats }
  }

  /** Closes every connection with `code` (e.g. 1001 on shutdown). */
  closeAll(code: CloseCode, reason: string): void {
    for (const conn of [...this.connections]) conn.close(code, reason)
  }

  /** Frees memory. Called by the RoomManager once the room is empty and durable, or broken. */
  override destroy(): void {
    if (this.destroyed) return
    this.destroyed = true
    this.internal?.off('misrouted', this.onMisrouted)
    this.internal?.off('moveAcross', this.onMisrouted)
    if (this.internal?.sharedPart === this) this.internal.sharedPart = undefined
    this.compactor.stop()
    this.closeAll(CLOSE_CODES.tryAgainLater, 'room unloaded')
    this.awareness.off('update', this.onAwarenessUpdate)
    this.awareness.destroy()
    this.doc.destroy()
    this.received = []
    for (const resolve of this.durableWaiters) resolve()
    this.durableWaiters = []
    this.outbox = []
    super.destroy()
  }

  /** @internal GroupCommit: every update up to `localSeq` is stored. */
  onDurable(localSeq: number, dbSeq: number, rows: number, bytes: number, merged: Uint8Array, generation?: number): void {
    this.compactor.appended(rows, bytes, dbSeq)
    const ready: Unflushed[] = []
    while (this.unflushed[0] !== undefined && this.unflushed[0].seq <= localSeq) ready.push(this.unflushed.shift() as Unflushed) // checked just above
    const misrouted = ready.some((entry) => entry.misrouted === true)
    // Published by the fan-out before this room relays it: the other instances' peers hear it as soon.
    if (!this.destroyed) this.emit('committed', [dbSeq, merged, this, { generation: generation ?? 0, clean: !misrouted }])
    if (this.destroyed) return
    this.relay(ready, merged, misrouted)
    const stillWaiting: Outgoing[] = []
    for (const out of this.outbox) {
      if (out.seq <= localSeq) out.conn.send(out.message)
      else stillWaiting.push(out)
    }
    this.outbox = stillWaiting
    this.settleWaiters()
    this.compactor.maybeCompact()
  }

  /** Resolves the {@link whenDurable} waiters once nothing received or applied is pending. */
  private settleWaiters(): void {
    if (this.unflushed.length > 0 || this.received.length > 0) return
    for (const resolve of this.durableWaiters) resolve()
    this.durableWaiters = []
  }

  /**
   * @internal GroupCommit, before its write: applies the client updates received since the last
   * commit as one Yjs transaction ([S4]). Its one emitted update is what is stored and relayed,
   * and Yjs has already garbage-collected in it what the batch itself overwrote (a card dragged
   * eight times in the batch is relayed at its last position, the seven before as tombstones).
   */
  applyQueued(): void {
    const received = this.received
    this.received = []
    if (this.destroyed || received.length === 0) return
    const [first] = received
    // One origin per transaction: the sender when it is the only one, so it is not echoed;
    // otherwise what each sender sent, so that its copy leaves that out ([S4]).
    let origin: Connection | BatchOrigin | undefined = first?.conn
    let batch: BatchOrigin | undefined
    if (received.some((r) => r.conn !== first?.conn)) {
      batch = new BatchOrigin()
      for (const r of received) batch.add(r.conn, r.writes)
      origin = batch
    }
    // [S26] Each update is checked against the doc as its predecessors of this turn left it, then
    // applied, all in the one transaction of [S4]: a refused one is never applied, and its sender's
    // later updates of the turn are dropped with it, as are those of later turns (updates that
    // waited for the store, [S29], or arrived as their peer left, [S3]).
    const refused = new Map<Connection, Refusal>()
    // Whether a refusal was only for structs the board lacks, in an incremental update.
    const missing = new Map<Connection, boolean>()
    // The record index follows the log when the transaction ends; the turn carries what each
    // accepted update left to the checks of the updates after it.
    const turn = new PreviewTurn()
    let current: Received | undefined
    // [S3] kept with what they became until it is durable: a departed sender's are replayed if not.
    const accepted: Received[] = []
    const seqBefore = this.localSeq
    // [A40] what a turn that threw half-way noted is not this turn's.
    this.guestOps.dropFrom(0)
    let guestOps: GuestPartOp[] = []
    this.applying = received
    this.applyCaptured(
      origin,
      (doc) => {
        for (current of received) {
          if (refused.has(current.conn) || this.refusedSenders.has(current.conn)) continue
          // [S6] decoded here, not on arrival: its structs live for this check and apply only.
          let update: DecodedUpdateWithValues | undefined
          try {
            update = decodeClientUpdate(current.update)
          } catch (error) {
            if (!(error instanceof ProtocolError)) throw error
            refused.set(current.conn, { code: error.closeCode, reason: error.reason })
            continue
          }
          const refusal = this.check(current, update.decoded, turn)
          if (refusal) {
            refused.set(current.conn, refusal)
            missing.set(current.conn, current.kind === 'syncUpdate' && refusal.reason === MISSING_STRUCTS && this.holdsMore(current.conn))
            continue
          }
          // The values the guard judged, not a second decoding of them.
          applyUpdateWithValues(doc, current.update, update.values, origin)
          accepted.push(current)
          if (batch && current.touched) batch.touched(current.conn, current.touched)
        }
        guestOps = this.guestOps.take()
        // [A40] written now, in the internal room: its row is queued before this room's, stored in
        // the same commit and relayed first, so the team never sees the card go.
        if (guestOps.length > 0 && this.internal && !this.internal.destroyed) keepDeletedCards(this.internal.doc, guestOps, PARTS_ORIGIN)
      },
      () => current?.conn,
    )
    this.applying = []
    // [A40] after the turn (the shared document holds the card again), in the same commit.
    if (guestOps.length > 0 && this.internal && !this.internal.destroyed && !this.destroyed) mergeBackRecreated(this.internal.doc, this.doc, guestOps, this.sensitivity, PARTS_ORIGIN)
    if (this.localSeq > seqBefore) for (const entry of this.unflushed) if (entry.seq > seqBefore) entry.from = accepted
    // [S39] a write kept by the grace of [A37] in this turn: its row is held from guests until the move.
    if (this.misroutedTurn) {
      this.misroutedTurn = false
      for (const entry of this.unflushed) if (entry.seq > seqBefore) entry.misrouted = true
    }
    // [S37] what the turn's accepted updates wrote, should the store refuse them (rejudge).
    if (this.internal && this.localSeq > seqBefore) {
      const touched = new Set<string>()
      for (const r of received) if (r.touched) for (const id of r.touched) touched.add(id)
      for (const entry of this.unflushed) if (entry.seq > seqBefore) entry.touched = touched
    }
    for (const [conn, refusal] of refused) {
      if (missing.get(conn)) {
        // [S26] An incremental update building on structs the board lacks, from a client whose own
        // step 1 declared it holds structs the board lacks: a client moving from an instance that
        // died holds its own edits that instance never stored ([S32]). Nothing of the update is
        // applied; a step 1 asks the client for everything the board lacks (its step 2 is complete
        // against our state vector, and is judged like any update), once until it answers. Anyone
        // else is closed as before.
        if (!this.awaitingStep2.has(conn)) {
          this.awaitingStep2.add(conn)
          this.deps.log.info('sync.update_awaits_step2', { room: this.name, conn: conn.id })
          conn.send(encodeSyncStep1(this.doc))
        }
        continue
      }
      this.deps.log.warn('sync.update_refused', { room: this.name, conn: conn.id, code: refusal.code, reason: refusal.reason })
      this.refusedSenders.add(conn)
      conn.close(refusal.code, refusal.reason)
    }
    // A batch that changed nothing (updates the room already had, or refused ones) reaches no commit.
    this.settleWaiters()
  }

  /**
   * The update guard ([S26]–[S29]): the structural pass, the ownership of the client ids it writes,
   * then the record pass. Claims the client ids when it passes; sets `r.touched`.
   */
  /** Whether `conn`'s last step 1 declared structs the board does not have ([S26], [S32]). */
  private holdsMore(conn: Connection): boolean {
    const declared = this.declared.get(conn)
    if (!declared) return false
    for (const [client, clock] of declared) if (clock > Y.getState(this.doc.store, client)) return true
    return false
  }

  private check(r: Received, decoded: DecodedUpdate, turn: PreviewTurn): Refusal | undefined {
    const inspection = inspectUpdate(this.doc, decoded, r.update.byteLength, this.deps.updateLimits)
    if (!inspection.ok) return inspection.refusal
    // [S28] what one update may cost is capped; what a connection's updates cost per second too.
    if (!r.conn.limits.work.take(inspection.work)) return { code: CLOSE_CODES.rateLimited, reason: 'too many costly updates per second' }
    for (const client of inspection.clients) {
      if (!this.mayUse(r.conn, client)) return { code: CLOSE_CODES.updateRefused, reason: 'the update uses a client id of another connection' }
    }
    const noted = this.guestOps.mark
    const verdict = checkRecordOps(
      this.doc,
      inspection.ops,
      { role: r.conn.role, userId: r.conn.userId, keyId: r.conn.keyId ?? undefined, connId: r.conn.id, board: this.board },
      turn,
      this.partRules,
    )
    const refusal = verdict.ok ? this.overBoardCaps(turn) : verdict.refusal
    if (refusal) {
      this.guestOps.dropFrom(noted)
      return refusal
    }
    turn.accept()
    for (const client of inspection.clients) this.claim(r.conn, client)
    if (verdict.ok) r.touched = verdict.touched
    return undefined
  }

  /**
   * [S28] The refusal of an update that would take its board over `MAX_BOARD_RECORDS` or
   * `MAX_BOARD_BYTES`, its two documents together, or undefined. O(1): the sizes are the record
   * indexes' counts, the turn's accepted updates' and this update's as the preview counted them.
   * Only an update that grows the board is refused: on a full board, edits and deletes still go in.
   */
  private overBoardCaps(turn: PreviewTurn): Refusal | undefined {
    const update = turn.pendingSize
    if (update.records <= 0 && update.chars <= 0) return undefined
    const here = logSize(this.doc)
    const otherRoom = this.internal ?? this.sharedPart
    const other = otherRoom && !otherRoom.destroyed ? logSize(otherRoom.doc) : { records: 0, chars: 0 }
    const { maxBoardRecords, maxBoardBytes } = this.deps.updateLimits
    const records = here.records + other.records + turn.acceptedSize.records + update.records
    if (update.records > 0 && records > maxBoardRecords) return { code: CLOSE_CODES.updateRefused, reason: boardFullReason({ records: maxBoardRecords }) }
    const chars = here.chars + other.chars + turn.acceptedSize.chars + update.chars
    if (update.chars > 0 && chars > maxBoardBytes) return { code: CLOSE_CODES.updateRefused, reason: boardFullReason({ bytes: maxBoardBytes }) }
    return undefined
  }

  /**
   * [S29] Whether `conn` may write or speak for Yjs client id `client`: a participant holding it in
   * the store decides (a keyed participant's ids stay its own after it left, after a restart, on
   * every instance); else nobody else holds it live, or the holder is an earlier connection of the
   * same participant (a reconnecting provider keeps its doc's client id while the server may still
   * hold its old connection), or a holder without a key is gone.
   */
  private mayUse(conn: Connection, client: number): boolean {
    const held = this.holders.holder(client)
    return typeof held === 'string' ? held === conn.participant : this.liveMayUse(conn, client)
  }

  /** [S29] {@link mayUse} as far as the room's live connections decide. */
  private liveMayUse(conn: Connection, client: number): boolean {
    const owner = this.owners.get(client)
    return owner === undefined || owner === conn || sameParticipant(owner, conn) || (!owner.keyed && owner.closed)
  }

  /** [S29] {@link ClientIdHolders}: the room already refuses `conn` the id (another live participant holds it). */
  private readonly liveRefuses = (conn: Connection, client: number): boolean => !this.liveMayUse(conn, client)

  /** Queues a client update for the next group commit, which checks and applies it ({@link applyQueued}). */
  private queueReceived(conn: Connection, message: DecodedClientUpdate, kind: Received['kind']): void {
    if (this.destroyed) return
    // Named fields, not rest and spread: two object copies per frame on the hot path.
    this.received.push({ update: message.update, writes: message.writes, entries: message.entries, conn, kind })
    if (this.received.length === 1) this.deps.commit.beforeCommit(this)
  }

  /** Gives `client` to `conn`, taking it (and its awareness) from an earlier holder. */
  private claim(conn: Connection, client: number): void {
    const owner = this.owners.get(client)
    if (owner === conn) return
    if (owner) {
      owner.clientIds.delete(client)
      // Its awareness state now belongs to the new connection: not removed when the old one closes.
      if (owner.awarenessIds.delete(client)) conn.awarenessIds.add(client)
      if (owner.awarenessClient === client) owner.awarenessClient = undefined
    }
    this.owners.set(client, conn)
    conn.clientIds.add(client)
  }

  /** @internal GroupCommit: storing failed; the in-memory doc holds changes that are not durable. */
  onDurabilityFailed(error: unknown): void {
    this.deps.log.error('sync.room_broken', { room: this.name, error: String(error) })
    this.breakRoom(CLOSE_CODES.internalError, 'storage failed')
  }

  /** `closing`: a frame held for the rates when its peer left ([S28]); only its document update counts. */
  private receive(conn: Connection, frame: string | ArrayBuffer | Uint8Array, closing = false): void {
    // [S28] a frame this large can only be an update over the cap (awareness is capped before,
    // [A14]): refused before it is decoded.
    if (typeof frame !== 'string' && frame.byteLength > this.deps.updateLimits.maxBytes + 16) {
      conn.close(CLOSE_CODES.updateRefused, `update too large: over ${this.deps.updateLimits.maxBytes} bytes`)
      return
    }
    let message
    try {
      message = decodeMessage(frame, this.deps.updateLimits.maxDeleteRanges)
    } catch (error) {
      if (!(error instanceof ProtocolError)) throw error
      this.deps.log.warn('sync.bad_frame', { room: this.name, conn: conn.id, code: error.closeCode, reason: error.reason })
      conn.close(error.closeCode, error.reason)
      return
    }
    if (closing && message.type !== 'syncStep2' && message.type !== 'syncUpdate') return
    switch (message.type) {
      case 'syncStep1':
        // [S30] a step 1 costs the server an encode of what the peer lacks: rate-limited, answered from a cache.
        if (!conn.limits.syncStep1.take()) return this.rateLimited(conn, 'sync step 1 requests')
        try {
          this.declared.set(conn, Y.decodeStateVector(message.stateVector))
        } catch {
          this.declared.delete(conn)
        }
        // [S39] while rows are held from guests, the doc holds their values: a guest waits for the move.
        if (this.heldFromGuests && conn.role === 'guest') this.guestsWaiting.set(conn, message.stateVector)
        else this.sendDocMessage(conn, this.encodeStep2(message.stateVector))
        return
      case 'syncStep2':
      case 'syncUpdate': {
        // [S7] read-only peers sync and share awareness, but their changes are neither applied nor relayed.
        if (conn.readOnly) return
        // [S28] checked on arrival; the update itself is checked against the doc when applied. Over
        // its rates, the connection's frames wait (honest fast writers are slowed, not cut off).
        // Frames held when the peer left are not waited for: nothing is read from it any more, and
        // they are bounded by `maxBufferedBytes`; each is still checked like any update.
        const wait = closing ? 0 : conn.limits.takeUpdate(message.update.byteLength, message.entries)
        if (wait === Number.POSITIVE_INFINITY) return this.rateLimited(conn, 'update entries or bytes')
        if (wait > 0) return conn.hold(frame, wait)
        const kind = message.type
        if (kind === 'syncStep2') this.awaitingStep2.delete(conn)
        // Nothing to apply (every new joiner's step 2): no transaction, so nothing wakes for it ([H9]).
        if (message.empty) return
        // [S29] a client id the room has not seen is looked up (or held) in the store first; one it
        // knows (every update of a writer after its first) is queued at once, with no callback.
        if (this.holders.knowsAll(conn, message.writes, this.doc, this.liveRefuses)) return this.queueReceived(conn, message, kind)
        // Even when conn closed meanwhile: what it sent before closing is judged and kept ([S12]);
        // if the room is reset or the store fails meanwhile, kept for later ([S3]).
        const waiting: LookingUp = { conn, update: message.update, kind }
        this.lookingUp.add(waiting)
        this.holders.whenKnown(conn, message.writes, this.doc, this.liveRefuses, (outcome) => {
          this.lookingUp.delete(waiting)
          // After one of its updates was kept for later, the ones after it wait with it (their order).
          if (outcome === 'unstored' || (outcome === 'known' && this.unstoredSenders.has(conn))) this.keepDeparted([waiting])
          else if (outcome === 'known') this.queueReceived(conn, message, kind)
        })
        return
      }
      case 'awareness': {
        // [S29] a connection speaks for one client id, its own; never for another connection's.
        const own = this.ownAwareness(conn, message.entries)
        if (own === undefined) {
          conn.close(CLOSE_CODES.updateRefused, 'awareness for a client id that is not this connection\'s')
          return
        }
        // [S31] what it says for itself counts toward its awareness rates; echoes of others' states
        // (nothing kept) toward a budget of their own.
        const over = own.length === 0 ? conn.limits.takeAwarenessEcho() : conn.limits.takeAwareness(message.update.byteLength)
        if (over) return this.rateLimited(conn, over)
        if (own.length === 0) return
        // [A43] a guest's typing claim on a field it may not write is never applied, so never relayed.
        const kept = conn.role === 'guest' ? this.guestClaims(conn, own) : own
        try {
          awarenessProtocol.applyAwarenessUpdate(this.awareness, kept === own && own.length === message.entries.length ? message.update : encodeAwarenessEntries(kept), conn)
        } catch (error) {
          this.deps.log.warn('sync.bad_awareness', { room: this.name, conn: conn.id, error: String(error) })
          conn.close(CLOSE_CODES.invalidPayload, 'invalid awareness update')
        }
        return
      }
      case 'queryAwareness': {
        const clients = [...this.awareness.getStates().keys()]
        conn.send(conn.role === 'guest' ? this.guestAwareness(clients) : encodeAwareness(this.awareness, clients))
        return
      }
        return
    }
  }

  /**
   * [S29] The entries of an awareness update that `conn` may apply: those of its own client id (the
   * first it announces with a newer state, unless another participant's live connection holds it).
   * The stock provider echoes every remote change it hears, so entries of other ids that change
   * nothing (not newer than ours) or remove a state are dropped, also those of the same
   * participant's other live connection once this one speaks for its own id (two tabs); undefined
   * when it sets a newer state for another id (a spoof).
   */
  private ownAwareness(conn: Connection, entries: AwarenessEntry[]): AwarenessEntry[] | undefined {
    const kept: AwarenessEntry[] = []
    for (const entry of entries) {
      if (entry.client === conn.awarenessClient) {
        kept.push(entry)
        continue
      }
      if (entry.state === 'null') continue
      const owner = this.owners.get(entry.client)
      const newer = entry.clock > (this.awareness.meta.get(entry.client)?.clock ?? -1)
      const takeover = owner !== undefined && owner !== conn && sameParticipant(owner, conn)
      if (!newer && !takeover) continue
      if (conn.awarenessClient === undefined && this.mayUse(conn, entry.client)) {
        conn.awarenessClient = entry.client
        this.claim(conn, entry.client)
        kept.push(entry)
        continue
      }
      // The same participant's other live connection (the board open in two tabs): a connection
      // that already speaks for its own id echoes that tab's state unchanged, nothing to take over.
      if (!newer) continue
      this.deps.log.warn('sync.awareness_refused', { room: this.name, conn: conn.id, client: entry.client })
      return undefined
    }
    return kept
  }

  /**
   * [A43] `entries` of a guest's awareness without the typing claims it may not make: on a field of
   * a record it may write (a visible card of the shared document, not a template, the field not
   * internal), on a board it may edit; [A44] each state stamped as a guest's (`guestOwnState`).
   */
  private guestClaims(conn: Connection, entries: AwarenessEntry[]): AwarenessEntry[] {
    const mayWrite: GuestVisibility = {
      shape: (id) => !conn.readOnly && hasRecord(this.doc, id) && !this.isInternalItem(id) && !templateRecordIds(this.board).has(id),
      field: (id, field) => {
        const type = readRecord(this.doc, id).record?.type
        return typeof type === 'string' && !isInternalField(this.sensitivity, type, field)
      },
    }
    return entries.map((entry) => ({ ...entry, state: guestOwnState(entry.state, mayWrite) }))
  }

  private rateLimited(conn: Connection, what: string): void {
    this.deps.log.warn('sync.rate_limited', { room: this.name, conn: conn.id, rate: what })
    conn.close(CLOSE_CODES.rateLimited, `too many ${what} per second`)
  }

  /**
   * Runs `apply` in one remote transaction, holding back what the doc emits until it has finished:
   * Yjs emits the changes of a transaction that threw half-way, and those must never be stored or
   * relayed. Returns false when it threw: the connection `blame` names is closed with 1007, and
   * the room is reset.
   */
  private applyCaptured(origin: unknown, apply: (doc: Y.Doc) => void, blame?: () => Connection | undefined): boolean {
    const captured: Uint8Array[] = []
    this.capture = captured
    try {
      Y.transact(this.doc, () => apply(this.doc), origin, false)
    } catch (error) {
      this.capture = undefined
      const culprit = blame?.()
      this.deps.log.error('sync.apply_failed', { room: this.name, conn: culprit?.id, error: String(error) })
      culprit?.close(CLOSE_CODES.invalidPayload, 'update could not be applied')
      // The in-memory doc may be half-changed: drop it and let everyone resync from storage.
      this.breakRoom(CLOSE_CODES.tryAgainLater, 'room reset, reconnect')
      return false
    }
    this.capture = undefined
    for (const change of captured) this.track(change, origin)
    return true
  }

  private track(update: Uint8Array, origin: unknown): void {
    if (this.destroyed) return
    // The cached step 2 answers are of the doc before this change: never read again, so not kept
    // (issue 14: a whole board's encoding per room for as long as it stays loaded).
    this.fullStep2 = undefined
    if (this.step2Cache.answers.size > 0) this.step2Cache.answers.clear()
    this.localSeq++
    this.unflushed.push({ seq: this.localSeq, update, origin })
    this.deps.commit.enqueue(this, update, this.localSeq)
  }

  /**
   * Step 2 for a peer. A new peer (empty state vector) gets the whole doc, encoded once per doc
   * version: a workshop starts with everyone joining at once. [S30] Other state vectors are reduced
   * to what they say about the doc's own clients, and the answer is cached per doc version, so that
   * repeating a step 1 costs a lookup, not an encode.
   */
  private encodeStep2(stateVector: Uint8Array): Uint8Array {
    const key = this.step2Key(stateVector)
    if (key === '') {
      if (this.fullStep2?.seq !== this.localSeq) this.fullStep2 = { seq: this.localSeq, message: encodeSyncStep2(this.doc, new Uint8Array([0])) }
      return this.fullStep2.message
    }
    if (this.step2Cache.seq !== this.localSeq) this.step2Cache = { seq: this.localSeq, answers: new Map() }
    const cached = this.step2Cache.answers.get(key)
    if (cached) return cached
    const message = encodeSyncStep2(this.doc, stateVector)
    if (this.step2Cache.answers.size >= STEP2_CACHE_SIZE) this.step2Cache.answers.clear()
    this.step2Cache.answers.set(key, message)
    return message
  }

  /** @internal Step 2 answers this room keeps cached (issue 14, for tests). */
  get cachedStep2Answers(): number {
    return (this.fullStep2 ? 1 : 0) + this.step2Cache.answers.size
  }

  /** The doc's clients the peer already has something of, with its clocks capped at ours ('' for none). */
  private step2Key(stateVector: Uint8Array): string {
    const theirs = Y.decodeStateVector(stateVector)
    const parts: string[] = []
    for (const [client, clock] of theirs) {
      if (clock === 0) continue
      const ours = Y.getState(this.doc.store, client)
      if (ours > 0) parts.push(`${client}:${Math.min(clock, ours)}`)
    }
    return parts.sort().join(',')
  }

  /** Sends doc content to one peer, but not before everything it contains is durable ([S1]). */
  private sendDocMessage(conn: Connection, message: Uint8Array): void {
    if (this.unflushed.length === 0) conn.send(message)
    else this.outbox.push({ seq: this.localSeq, conn, message })
  }

  private relay(ready: Unflushed[], merged: Uint8Array, misrouted: boolean): void {
    const [first] = ready
    if (first === undefined) return
    // [S39] a write kept by the grace of [A37] reaches guests only with its move ({@link releaseToGuests}).
    if (misrouted) this.holdFromGuests(merged)
    // [S4] one update per room and group commit (exactly what the group commit stored), encoded
    // and framed once for every peer.
    const { message, framed } = updateFrameFromParts([merged])
    // The sender is not echoed when it is the one origin of the commit; a peer that sent part of a
    // batch gets the batch without what it wrote itself: it would only decode and skip it (a tenth
    // of the relay with ten writers in a room). No collections for the common case of one origin.
    let soleSender: unknown = first.origin
    let sent: BatchOrigin | undefined
    for (const { origin } of ready) {
      if (origin !== first.origin) soleSender = undefined
      if (origin instanceof BatchOrigin) for (const [conn, clocks] of origin.senders) (sent ??= new BatchOrigin()).add(conn, clocks)
    }
    // Cut per sender by copying the runs of the other writers, not by decoding and re-encoding.
    let runs: UpdateRuns | undefined
    for (const conn of this.connections) {
      if (conn === soleSender || (misrouted && conn.role === 'guest')) continue
      const clocks = sent?.senders.get(conn)
      if (clocks) {
        const cut = (runs ??= UpdateRuns.of(merged)).frameWithout(clocks)
        if (cut) conn.send(cut.message, cut.framed)
        else conn.send(message, framed)
      } else conn.send(message, framed)
    }
    this.emit('update', [merged, this])
  }

  /** Sends what a row of another instance changed to every peer, and drops the caches it outdated. */
  private relayRemote(update: Uint8Array): void {
    if (this.destroyed) return
    this.fullStep2 = undefined
    this.step2Cache = { seq: -1, answers: new Map() }
    const { message, framed } = updateFrameFromParts([update])
    // [S39] a row judged by an older sensitivity than this room's (stored before a change), or kept
    // by another instance's grace, may carry what is internal now: the guests get it once a move took
    // those values out. A row judged by the room's own generation, clean, holds nothing internal
    // ([A31]): one comparison, no decoding. Rows read from the store say neither: judged by content.
    const row = this.applyingRow
    const judge = this.internal !== undefined && (row === undefined || !row.clean || row.generation !== this.generation)
    const hold = judge && this.carriesInternal(update)
    if (hold) {
      this.holdFromGuests(update)
      // The writer moves it (its own grace, or it stored the change, [S37]); this room waits for the
      // move's rows, and moves only if the fan-out finds the writer gone ({@link moveHeld}).
      const heldRemote = (this.heldRemote ??= { writers: new Set(), sinceMs: Date.now() })
      heldRemote.writers.add(row?.instance)
    }
    for (const conn of this.connections) if (!hold || conn.role !== 'guest') conn.send(message, framed)
    this.emit('update', [update, this])
  }

  private readonly onAwarenessUpdate = (
    { added, updated, removed }: { added: number[]; updated: number[]; removed: number[] },
    origin: unknown,
  ): void => {
    if (origin instanceof Connection) {
      for (const id of added) origin.awarenessIds.add(id)
      for (const id of removed) origin.awarenessIds.delete(id)
    }
    // Relayed to everyone including the sender: the provider drops a connection that hears
    // nothing for 30 s, and its own awareness renewals are what it hears in a quiet room.
    const clients = [...added, ...updated, ...removed]
    const message = encodeAwareness(this.awareness, clients)
    const framed = webSocketFrame(message)
    // [A34] guests hear presences without the ids of internal items.
    let guestMessage: Uint8Array | undefined
    for (const conn of this.connections) {
      if (conn.role !== 'guest') conn.send(message, framed)
      else conn.send((guestMessage ??= this.guestAwareness(clients)))
    }
  }

  /** [A34] The awareness of `clients` as a guest hears it. */
  private guestAwareness(clients: number[]): Uint8Array {
    // Only ids of the shared document's records: an id the room has not seen yet may be internal.
    return guestAwarenessMessage(this.awareness, clients, {
      shape: (id) => hasRecord(this.doc, id) && !this.isInternalItem(id),
      field: (id, field) => {
        const type = readRecord(this.doc, id).record?.type
        return typeof type === 'string' && !isInternalField(this.sensitivity, type, field)
      },
    })
  }

  /**
   * [S3] Hands the updates of `writes` whose connection departed to whoever keeps them (the
   * RoomManager) and replays them later; a live peer's are not kept: closed with a retryable code,
   * it resends its own copy when it reconnects (the server never said it had them).
   */
  private keepDeparted(writes: readonly LookingUp[]): void {
    // A reset room handed over everything it had when it broke.
    if (this.destroyed) return
    const byConn = new Map<Connection, Uint8Array[]>()
    for (const { conn, update, kind } of writes) {
      if (!conn.departed) continue
      this.unstoredSenders.add(conn)
      let frames = byConn.get(conn)
      if (!frames) byConn.set(conn, (frames = []))
      const frame = kind === 'syncStep2' ? encodeSyncStep2FromUpdate(update) : encodeUpdate(update)
      frames.push(frame)
    }
    if (byConn.size === 0) return
    this.deps.log.warn('sync.departed_writes_kept', { room: this.name, connections: byConn.size, updates: [...byConn.values()].reduce((n, f) => n + f.length, 0) })
    this.emit('departed', [[...byConn].map(([conn, frames]) => ({ conn, frames })), this])
  }

  private removeConnection(conn: Connection): void {
    this.guestsWaiting.delete(conn)
    if (!this.connections.delete(conn)) return
    // [S29] a keyed participant's client ids stay held for its return.
    if (!conn.keyed) for (const client of conn.clientIds) if (this.owners.get(client) === conn) this.owners.delete(client)
    if (conn.awarenessIds.size > 0 && !this.destroyed) {
      awarenessProtocol.removeAwarenessStates(this.awareness, [...conn.awarenessIds], null)
    }
    this.deps.log.info('sync.leave', { room: this.name, conn: conn.id, peers: this.connections.size })
    if (this.connections.size === 0 && !this.destroyed) this.emit('empty', [this])
  }

  private breakRoom(code: CloseCode, reason: string): void {
    if (this.destroyed) return
    // [S3] In the order they arrived: applied, being applied (an update that threw), received, then
    // waiting for the store's answer.
    // The entries of one turn share its accepted updates: each is kept once.
    const unstored = new Set<LookingUp>()
    for (const entry of this.unflushed) for (const r of entry.from ?? []) unstored.add(r)
    // [S3] Accepted from a peer closed since for its own fault (which dropped its copy): those count
    // like a departed peer's; nothing it sent after them does.
    const faulted = new Set<Connection>()
    for (const { conn } of unstored) if (conn.closed && !conn.departed) faulted.add(conn)
    for (const conn of faulted) conn.keepAccepted()
    for (const r of [...this.applying, ...this.received, ...this.lookingUp]) if (!faulted.has(r.conn) && !this.refusedSenders.has(r.conn)) unstored.add(r)
    this.lookingUp.clear()
    this.keepDeparted([...unstored])
    this.unflushed = []
    this.closeAll(code, reason)
    this.emit('broken', [this])
  }
}
