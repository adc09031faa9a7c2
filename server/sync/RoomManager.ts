/**
 * Loads a room when its first connection arrives and unloads it after a grace period once the
 * last one left ([S8]). A connection arriving while a room unloads keeps that room alive. Keeps what
 * departed connections sent that a room could not store (a failed load, a reset) and replays it
 * once the store answers again ([S3]).
 */
import type { BoardId } from '../../shared/boards.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import type { Connection } from './Connection.ts'
import { GroupCommit } from './GroupCommit.ts'
import type { UpdateLimits } from './inspectUpdate.ts'
import type { CompactionCluster } from './LogCompactor.ts'
import { Room, type DepartedWrites, type RoomDeps } from './Room.ts'
import { partRoomName, resolveSensitivity, type BoardPart } from '../../shared/sensitivity.ts'

export type RoomManagerOptions = {
  store: Store
  log: Logger
  roomUnloadGraceMs: number
  compactAfterUpdates: number
  compactAfterBytes: number
  /** Caps of one client update ([S27], [S28]). */
  updateLimits: UpdateLimits
  /**
   * [S3] Most bytes of departed connections' updates kept at once, over every room, while their
   * rooms cannot store them (`MAX_KEPT_DEPARTED_BYTES`; each connection sent at most
   * `MAX_BUFFERED_BYTES` before its room loaded). What would go over it is dropped, the oldest kept.
   */
  maxKeptDepartedBytes: number
  /**
   * Runs when an empty room is about to be unloaded, after its changes are durable (e.g. to take a
   * snapshot). If a connection arrives meanwhile, the room stays loaded.
   */
  beforeUnload?: (room: Room) => Promise<void> | void
  /** Runs once per room, right after it loaded (e.g. to follow its updates and awareness). */
  onRoomLoaded?: (room: Room) => void
  /** With several instances: how rooms compact (server/cluster/BoardFanout.ts). */
  cluster?: CompactionCluster
  /** With several instances: awaited before a connection joins a loaded room ([S32], BoardFanout.caughtUp). */
  beforeJoin?: (room: Room) => Promise<void>
  /** [S37] {@link RoomDeps.heardSensitivity}. */
  heardSensitivity?: RoomDeps['heardSensitivity']
}

/** [S3] Wait before a room with kept updates is loaded again: doubled after each failure, up to `maxMs`. */
export const DEPARTED_RETRY = { firstMs: 1_000, maxMs: 30_000 } as const

/** [S3] The kept updates of one room, and when it is tried again. */
type Kept = { workshopId: string; board: BoardId; part: BoardPart; writes: DepartedWrites[]; bytes: number; timer?: NodeJS.Timeout }

type Entry = {
  loading: Promise<Room>
  room?: Room
  unloadTimer?: NodeJS.Timeout
  unloading?: Promise<void>
  /** Bumped by every acquire: an unload that sees it change was overtaken by a new connection. */
  generation: number
}

export class RoomManager {
  /** Group commit shared by every room of this server. */
  readonly commit: GroupCommit
  private readonly entries = new Map<string, Entry>()
  /** [S3] Per room name, departed connections' updates it could not store yet. */
  private readonly kept = new Map<string, Kept>()
  private keptBytes = 0
  /** [S3] Per room name, the wait before its next try; forgotten once what it kept is stored. */
  private readonly retryDelays = new Map<string, number>()
  private readonly options: RoomManagerOptions
  private closing = false

  constructor(options: RoomManagerOptions) {
    this.options = options
    this.commit = new GroupCommit(options.store, options.log)
  }

  /** The loaded room of `<workshopId>/<board>`, if any. */
  get(name: string): Room | undefined {
    return this.entries.get(name)?.room
  }

  /** Loaded (or loading) room names. */
  names(): string[] {
    return [...this.entries.keys()]
  }

  /**
   * Runs `fn` on the loaded room (loading it if needed), for server code such as a snapshot
   * restore; the room unloads afterwards if nobody is connected.
   *
   * @example `await rooms.withRoom(id, 'swot', (room) => room.applyServerUpdate(update))`
   */
  async withRoom<T>(workshopId: string, board: BoardId, fn: (room: Room) => Promise<T> | T): Promise<T> {
    const room = await this.acquire(workshopId, board)
    try {
      return await fn(room)
    } finally {
      if (room.connections.size === 0 && this.get(room.name) === room) room.emit('empty', [room])
    }
  }

  /**
   * Loads the room if needed (a concurrent caller shares the load) and cancels a pending unload.
   * Low level: a caller that does not add a connection must use {@link withRoom} instead, or the
   * room never unloads.
   */
  async acquire(workshopId: string, board: BoardId, part: BoardPart = 'shared'): Promise<Room> {
    const name = partRoomName(workshopId, board, part)
    let entry = this.entries.get(name)
    if (!entry) {
      const deps = {
        store: this.options.store,
        commit: this.commit,
        log: this.options.log,
        compactAfterUpdates: this.options.compactAfterUpdates,
        compactAfterBytes: this.options.compactAfterBytes,
        updateLimits: this.options.updateLimits,
        cluster: this.options.cluster,
        heardSensitivity: this.options.heardSensitivity,
      }
      const created: Entry = {
        generation: 0,
        // Issue 13: a board's shared document is loaded with its internal one, which stays loaded
        // as long as it does (see unload), so the guard and the mover read both at once.
        loading:
          part === 'internal'
            ? Room.load(workshopId, board, deps, 'internal')
            : (async () => {
                // The access record (its sensitivity) is read while the internal document loads.
                const accessRead = this.options.store.getAccess(workshopId)
                accessRead.catch(() => undefined) // awaited below; a failure is not unhandled when the internal load fails first
                const internal = await this.acquire(workshopId, board, 'internal')
                try {
                  const access = await accessRead
                  return await Room.load(workshopId, board, {
                    ...deps,
                    internal,
                    sensitivity: resolveSensitivity(access?.sensitivity),
                    sensitivityGeneration: access?.sensitivityGeneration ?? 0,
                  })
                } catch (error) {
                  // Not pinned by a shared room after all: let it unload.
                  if (internal.connections.size === 0) queueMicrotask(() => internal.emit('empty', [internal]))
                  throw error
                }
              })(),
      }
      entry = created
      this.entries.set(name, created)
      created.loading.then(
        (room) => {
          created.room = room
          room.on('empty', () => {
            this.scheduleUnload(name, created)
            // The last connection to an internal document left: its shared room may go now.
            const shared = room.part === 'internal' ? this.entries.get(`${workshopId}/${board}`) : undefined
            if (shared?.room && shared.room.connections.size === 0) this.scheduleUnload(`${workshopId}/${board}`, shared)
          })
          room.on('departed', (writes) => this.keep(workshopId, board, part, writes))
          room.on('broken', () => this.drop(name, created))
          this.options.onRoomLoaded?.(room)
          this.options.log.info('room.loaded', { room: name })
          // [S3] Before anyone joins: what departed peers sent when it last failed comes first.
          this.replayKept(room)
        },
        (error: unknown) => {
          this.options.log.error('room.load_failed', { room: name, error: String(error) })
          if (this.entries.get(name) === created) this.entries.delete(name)
        },
      )
    }
    clearTimeout(entry.unloadTimer)
    entry.unloadTimer = undefined
    entry.generation++
    return entry.loading
  }

  /** Loads the room of `conn` and joins it; closes `conn` with 1011 if loading fails. */
  async connect(conn: Connection, workshopId: string, board: BoardId, part: BoardPart = 'shared'): Promise<void> {
    let room: Room
    try {
      // Issue 13: an internal document is only ever open with its shared one, whose room moves
      // values where they belong when it loads ([A35]) and records the board's history ([H1]);
      // the shared room stays loaded while the internal one has connections (see unload).
      if (part === 'internal') await this.acquire(workshopId, board)
      room = await this.acquire(workshopId, board, part)
    } catch {
      // [S3] A live peer is told to retry and resends its copy then (nothing of it was taken); a
      // departed one's frames are kept until the board loads.
      if (conn.departed) this.keep(workshopId, board, part, [{ conn, frames: [] }])
      else conn.close(CLOSE_CODES.internalError, 'could not load board')
      return
    }
    // Several instances: the room first applies what other instances stored ([S32]).
    await this.options.beforeJoin?.(room).catch((error: unknown) => this.options.log.warn('sync.catch_up_before_join_failed', { room: room.name, error: String(error) }))
    // [S39] a guest is not answered by a sensitivity this instance has not heard of: a newer stored
    // one is heard now, and the guest's step 2 waits for its move.
    if (conn.role === 'guest' && room.internal) {
      try {
        await room.readStoredSensitivity()
      } catch (error) {
        this.options.log.warn('sync.sensitivity_read_failed', { room: room.name, error: String(error) })
        conn.close(CLOSE_CODES.tryAgainLater, 'could not read the board\'s sensitivity, reconnect')
        return
      }
    }
    if (this.get(room.name) !== room) {
      // The room was dropped after a storage failure while this connection waited.
      if (conn.departed) this.keep(workshopId, board, part, [{ conn, frames: [] }])
      else conn.close(CLOSE_CODES.tryAgainLater, 'room reset, reconnect')
      return
    }
    if (conn.closed || this.closing) {
      conn.close(CLOSE_CODES.goingAway, 'server shutting down')
      // [S3] It does not join, but what it sent while the room loaded is judged and kept.
      room.addConnection(conn)
      // Nobody joined: the room would otherwise never hear "empty".
      if (room.connections.size === 0) room.emit('empty', [room])
      return
    }
    room.addConnection(conn)
  }

  /**
   * Shutdown: waits for the group commit, then closes every connection with 1001 and unloads
   * every room. New connections are refused from now on.
   */
  async close(): Promise<void> {
    this.closing = true
    await Promise.allSettled([...this.entries.values()].map((e) => e.loading))
    // [S3] One last try for what departed peers sent; what still cannot be stored is lost, and said so.
    for (const name of [...this.kept.keys()]) await this.retryKept(name)
    for (const [name, kept] of this.kept) {
      clearTimeout(kept.timer)
      this.options.log.error('sync.departed_writes_lost', { room: name, connections: kept.writes.length, bytes: kept.bytes })
    }
    this.kept.clear()
    this.keptBytes = 0
    await this.commit.flush()
    for (const [name, entry] of this.entries) {
      clearTimeout(entry.unloadTimer)
      entry.room?.closeAll(CLOSE_CODES.goingAway, 'server shutting down')
      await this.commit.flush()
      // [S23] the next start loads one merged row per board.
      await entry.room?.compactNow()
      entry.room?.destroy()
      this.entries.delete(name)
    }
  }

  /**
   * [S3] Keeps `writes` of departed connections for room `<workshopId>/<board>` (or its internal
   * document) until it stores them: replayed when the room next loads, which is tried after
   * {@link DEPARTED_RETRY} if nobody connects. Over {@link RoomManagerOptions.maxKeptDepartedBytes}, dropped with an error.
   */
  private keep(workshopId: string, board: BoardId, part: BoardPart, writes: DepartedWrites[]): void {
    const name = partRoomName(workshopId, board, part)
    const bytes = writes.reduce((n, { conn, frames }) => frames.reduce((m, frame) => m + frame.byteLength, n + conn.queuedByteCount), 0)
    if (this.keptBytes + bytes > this.options.maxKeptDepartedBytes) {
      this.options.log.error('sync.departed_writes_dropped', { room: name, connections: writes.length, bytes })
      return
    }
    this.keptBytes += bytes
    let kept = this.kept.get(name)
    if (!kept) this.kept.set(name, (kept = { workshopId, board, part, writes: [], bytes: 0 }))
    kept.writes.push(...writes)
    kept.bytes += bytes
    this.options.log.warn('sync.departed_writes_kept', { room: name, connections: kept.writes.length, bytes: kept.bytes })
    this.scheduleRetry(name, kept)
  }

  private scheduleRetry(name: string, kept: Kept): void {
    if (this.closing || kept.timer !== undefined) return
    const delayMs = this.retryDelays.get(name) ?? DEPARTED_RETRY.firstMs
    this.retryDelays.set(name, Math.min(delayMs * 2, DEPARTED_RETRY.maxMs))
    kept.timer = setTimeout(() => {
      kept.timer = undefined
      void this.retryKept(name)
    }, delayMs)
    kept.timer.unref()
  }

  /** [S3] Loads the room of kept updates (which replays them), waits until they are durable, lets it unload. */
  private async retryKept(name: string): Promise<void> {
    const kept = this.kept.get(name)
    if (!kept) return
    try {
      // A workshop deleted meanwhile has no board left to keep them in (and must not get one again).
      if (!(await this.options.store.getAccess(kept.workshopId))) {
        this.options.log.error('sync.departed_writes_lost', { room: name, connections: kept.writes.length, bytes: kept.bytes, reason: 'workshop deleted' })
        this.forgetKept(name, kept)
        return
      }
      const shared = await this.acquire(kept.workshopId, kept.board)
      const room = kept.part === 'internal' ? await this.acquire(kept.workshopId, kept.board, 'internal') : shared
      this.replayKept(room)
      await room.whenDurable()
      for (const loaded of new Set([room, shared])) if (loaded.connections.size === 0 && this.get(loaded.name) === loaded) loaded.emit('empty', [loaded])
    } catch (error) {
      this.options.log.warn('sync.departed_writes_retry_failed', { room: name, error: String(error) })
    }
    // Kept again (the store failed once more): tried again later.
    const again = this.kept.get(name)
    if (again) this.scheduleRetry(name, again)
    else this.retryDelays.delete(name)
  }

  /** [S3] Replays into `room` the updates kept for it. */
  private replayKept(room: Room): void {
    const kept = this.kept.get(room.name)
    if (!kept) return
    this.forgetKept(room.name, kept)
    for (const { conn, frames } of kept.writes) room.replayDeparted(conn, frames)
  }

  private forgetKept(name: string, kept: Kept): void {
    clearTimeout(kept.timer)
    if (this.kept.get(name) === kept) this.kept.delete(name)
    this.keptBytes -= kept.bytes
  }

  private scheduleUnload(name: string, entry: Entry): void {
    if (this.closing) return
    clearTimeout(entry.unloadTimer)
    entry.unloadTimer = setTimeout(() => {
      entry.unloadTimer = undefined
      void this.unload(name, entry)
    }, this.options.roomUnloadGraceMs)
    entry.unloadTimer.unref()
  }

  /**
   * Unloads the workshop's rooms that wait out their grace now (idle, their connections gone): a
   * deletion waits for them, and a page that was connected would make it wait the whole grace.
   */
  unloadIdleNow(workshopId: string): void {
    for (const [name, entry] of this.entries) {
      if (entry.unloadTimer === undefined || entry.room?.workshopId !== workshopId) continue
      clearTimeout(entry.unloadTimer)
      entry.unloadTimer = undefined
      void this.unload(name, entry)
    }
  }

  private async unload(name: string, entry: Entry): Promise<void> {
    const room = entry.room
    if (!room || this.entries.get(name) !== entry || entry.unloading) return
    const generation = entry.generation
    // An internal document stays while its shared document's room is loaded (or loading).
    const sharedName = room.part === 'internal' ? `${room.workshopId}/${room.board}` : undefined
    const isIdle = () =>
      room.connections.size === 0 &&
      (room.internal?.connections.size ?? 0) === 0 &&
      entry.generation === generation &&
      (sharedName === undefined || !this.entries.has(sharedName))
    entry.unloading = (async () => {
      // Changes made while awaiting (e.g. by beforeUnload) are waited for in the next round.
      while (isIdle() && room.stats().unflushed > 0) await room.whenDurable()
      if (isIdle()) await this.options.beforeUnload?.(room)
      while (isIdle() && room.stats().unflushed > 0) await room.whenDurable()
      // [S23] the next load applies one merged row instead of the log's tail.
      if (isIdle()) await room.compactNow()
      // Issue 13: the board's internal document goes with it, unless someone is connected to it.
      const internal = room.internal
      if (internal && isIdle() && internal.connections.size === 0 && this.get(internal.name) === internal) {
        await internal.whenDurable()
        await internal.compactNow()
      }
    })()
    try {
      await entry.unloading
    } catch (error) {
      this.options.log.error('room.before_unload_failed', { room: name, error: String(error) })
    } finally {
      entry.unloading = undefined
    }
    // A connection that arrived meanwhile joined this same room: keep it.
    if (!isIdle() || this.entries.get(name) !== entry) return
    const internal = room.internal
    const internalEntry = internal ? this.entries.get(internal.name) : undefined
    if (internal && internalEntry?.room === internal && internal.connections.size === 0 && internal.stats().unflushed === 0) {
      this.drop(internal.name, internalEntry)
    }
    this.drop(name, entry)
    this.options.log.info('room.unloaded', { room: name })
  }

  private drop(name: string, entry: Entry): void {
    clearTimeout(entry.unloadTimer)
    if (this.entries.get(name) === entry) this.entries.delete(name)
    entry.room?.destroy()
    // Its internal document may go too, once nobody is connected to it.
    const internal = entry.room?.internal
    if (internal && this.get(internal.name) === internal && internal.connections.size === 0) internal.emit('empty', [internal])
  }
}
