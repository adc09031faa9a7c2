/**
 * Presence across instances ([S33], issue 17): awareness changes of this instance's connections
 * go out on the board's channel, other instances' are applied with an origin per instance and
 * relayed to local peers by the room. An instance that opens a board asks the others for their
 * clients' states; an instance silent for {@link MISSED_HEARTBEATS} heartbeats while Redis works
 * is taken for dead and its clients' states are removed.
 *
 * While Redis is away (or without it), presence goes through the database instead
 * ({@link ClusterPresence.shareThroughStore}, on the fan-out's poll): each instance writes its
 * clients' states per board into rows that expire, and applies the others'; a client missing from
 * its instance's row, or an instance whose rows expired, is removed.
 */
import * as decoding from 'lib0/decoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import type { Logger } from '../log.ts'
import type { SharedPresence } from '../store/Store.ts'
import type { Room } from '../sync/Room.ts'
import { BUS_KIND, HEARTBEAT_CHANNEL, type BusMessage } from './busMessages.ts'

/** Heartbeats an instance may miss (or presence rows it may not renew) before its clients' presence is removed. */
export const MISSED_HEARTBEATS = 3

type AwarenessChanges = { added: number[]; updated: number[]; removed: number[] }

/** The origin of awareness changes that came from (or are about) another instance. */
export class RemoteInstance {
  lastSeenMs = Date.now()
  /** Awareness client ids it announced, per board. */
  readonly clients = new Map<string, Set<number>>()
  constructor(readonly id: string) {}
}

export type ClusterPresenceDeps = {
  /** This process, as the other instances know it. */
  instanceId: string
  /** Sends on Redis if it is up (else drops). */
  publish: (channel: string, message: BusMessage) => void
  /** A room this instance follows, by name. */
  room: (docName: string) => Room | undefined
  log: Logger
  /** Heartbeat interval; undefined without Redis (no heartbeats). */
  heartbeatMs: number | undefined
  /** Where presence goes while Redis is away. */
  shared: SharedPresence
  /** How long a presence row outlives its instance's last write. */
  sharedTtlMs: number
}

export class ClusterPresence {
  private readonly instances = new Map<string, RemoteInstance>()
  private readonly heartbeat: NodeJS.Timeout | undefined
  private readySinceMs = 0
  /** Since when presence goes through the database; undefined while Redis carries it. */
  private sharedSinceMs: number | undefined
  private sharing = false

  constructor(private readonly deps: ClusterPresenceDeps) {
    const { heartbeatMs, instanceId } = deps
    if (heartbeatMs !== undefined) {
      this.heartbeat = setInterval(() => deps.publish(HEARTBEAT_CHANNEL, { kind: BUS_KIND.heartbeat, instance: instanceId }), heartbeatMs)
      this.heartbeat.unref()
    }
  }

  /** Sends the room's local awareness changes on `channel`; returns what stops it. */
  follow(room: Room, channel: string): () => void {
    const onAwareness = (changes: AwarenessChanges, origin: unknown) => this.onAwareness(room, channel, changes, origin)
    room.awareness.on('update', onAwareness)
    return () => room.awareness.off('update', onAwareness)
  }

  /** Asks the other instances for their clients' states on the board of `channel`. */
  query(channel: string): void {
    this.deps.publish(channel, { kind: BUS_KIND.awarenessQuery, instance: this.deps.instanceId })
  }

  /** Another instance was heard from (any message): it is alive. */
  heard(id: string): RemoteInstance {
    const found = this.remote(id)
    found.lastSeenMs = Date.now()
    return found
  }

  /** An awareness update from instance `from` for `room`. */
  applyRemote(room: Room, from: RemoteInstance, update: Uint8Array): void {
    try {
      awarenessProtocol.applyAwarenessUpdate(room.awareness, update, from)
    } catch (error) {
      this.deps.log.warn('cluster.bad_awareness', { room: room.name, instance: from.id, error: String(error) })
    }
  }

  /** Another instance opened the board: tells it this instance's clients' states. */
  answerQuery(room: Room, channel: string): void {
    const local = localClients(room)
    if (local.length === 0) return
    this.deps.publish(channel, { kind: BUS_KIND.awareness, instance: this.deps.instanceId, update: awarenessProtocol.encodeAwarenessUpdate(room.awareness, local) })
  }

  /** Redis is back: instances were unheard while it was away, not dead. */
  redisReady(now: number): void {
    this.readySinceMs = now
    for (const instance of this.instances.values()) instance.lastSeenMs = now
    if (this.sharedSinceMs === undefined) return
    this.sharedSinceMs = undefined
    // Presence travels on Redis again: this instance's rows would only go stale.
    void this.deps.shared.writePresence(this.deps.instanceId, [], this.deps.sharedTtlMs).catch(() => undefined)
  }

  /**
   * Without Redis ([S33]): writes the presence of this instance's clients on `rooms` to the
   * database, applies the other instances' rows, and removes the clients that are no longer in
   * their instance's rows (left, or their instance stopped writing). One round at a time.
   */
  async shareThroughStore(rooms: readonly Room[], now: number): Promise<void> {
    if (this.sharing) return
    this.sharing = true
    const { shared, sharedTtlMs, instanceId, log } = this.deps
    this.sharedSinceMs ??= now
    try {
      const own = rooms.flatMap((room) => {
        const local = localClients(room)
        return local.length === 0 ? [] : [{ docName: room.name, update: awarenessProtocol.encodeAwarenessUpdate(room.awareness, local) }]
      })
      await shared.writePresence(instanceId, own, sharedTtlMs)
      const rows = await shared.readPresence(
        rooms.map((room) => room.name),
        instanceId,
      )
      // Redis came back meanwhile: it carries presence now.
      if (this.sharedSinceMs === undefined) return
      const listed = new Map<RemoteInstance, Map<string, Set<number>>>()
      for (const row of rows) {
        const room = this.deps.room(row.docName)
        if (!room) continue
        const from = this.remote(row.instance)
        this.applyRemote(room, from, row.update)
        let boards = listed.get(from)
        if (!boards) listed.set(from, (boards = new Map()))
        boards.set(row.docName, clientsOf(row.update))
      }
      // Instances that have just lost Redis too may not have written yet: nobody is taken for gone
      // before a row could have expired.
      if (now - this.sharedSinceMs < sharedTtlMs) return
      for (const instance of this.instances.values()) {
        for (const [docName, clients] of instance.clients) {
          const still = listed.get(instance)?.get(docName)
          const gone = [...clients].filter((client) => !still?.has(client))
          if (gone.length > 0) this.removeClients(docName, instance, gone)
        }
      }
    } catch (error) {
      log.warn('cluster.presence_share_failed', { error: String(error) })
    } finally {
      this.sharing = false
    }
  }

  /** Removes the presence of clients of instances that stopped sending heartbeats (killed, cut off). */
  removeSilentInstances(now: number): void {
    const { heartbeatMs } = this.deps
    if (heartbeatMs === undefined) return
    const silence = MISSED_HEARTBEATS * heartbeatMs
    if (now - this.readySinceMs < silence) return
    for (const [id, instance] of this.instances) {
      if (now - instance.lastSeenMs < silence) continue
      this.instances.delete(id)
      for (const [name, clients] of instance.clients) this.removeClients(name, instance, clients)
      this.deps.log.warn('cluster.instance_gone', { instance: id })
    }
  }

  /** [S39] Whether instance `id` was heard from within `withinMs` (any message, a heartbeat at least). */
  alive(id: string, now: number, withinMs: number): boolean {
    const instance = this.instances.get(id)
    return instance !== undefined && now - instance.lastSeenMs < withinMs
  }

  /** Stops the heartbeat; takes this instance's presence rows out of the database. */
  async close(): Promise<void> {
    clearInterval(this.heartbeat)
    if (this.sharedSinceMs === undefined) return
    this.sharedSinceMs = undefined
    await this.deps.shared.writePresence(this.deps.instanceId, [], this.deps.sharedTtlMs).catch(() => undefined)
  }

  private remote(id: string): RemoteInstance {
    let found = this.instances.get(id)
    if (!found) this.instances.set(id, (found = new RemoteInstance(id)))
    return found
  }

  private removeClients(docName: string, instance: RemoteInstance, clients: Iterable<number>): void {
    const room = this.deps.room(docName)
    const present = [...clients].filter((client) => room?.awareness.getStates().has(client))
    if (room && present.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, present, instance)
  }

  private onAwareness(room: Room, channel: string, { added, updated, removed }: AwarenessChanges, origin: unknown): void {
    if (origin instanceof RemoteInstance) {
      let clients = origin.clients.get(room.name)
      if (!clients) origin.clients.set(room.name, (clients = new Set()))
      for (const id of [...added, ...updated]) clients.add(id)
      for (const id of removed) clients.delete(id)
      return
    }
    // Every instance times out silent states on its own.
    if (origin === 'timeout') return
    const changed = [...added, ...updated, ...removed]
    if (changed.length === 0) return
    this.deps.publish(channel, {
      kind: BUS_KIND.awareness,
      instance: this.deps.instanceId,
      update: awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed),
    })
  }
}

/** The client ids an awareness update (`y-protocols` encoding) is about. */
function clientsOf(update: Uint8Array): Set<number> {
  const decoder = decoding.createDecoder(update)
  const ids = new Set<number>()
  const count = decoding.readVarUint(decoder)
  for (let i = 0; i < count; i++) {
    ids.add(decoding.readVarUint(decoder))
    decoding.readVarUint(decoder) // clock
    decoding.readVarString(decoder) // state
  }
  return ids
}

/** Awareness client ids of the room's own connections that have a state. */
function localClients(room: Room): number[] {
  return [...room.connections].flatMap((conn) => [...conn.awarenessIds]).filter((id) => room.awareness.getStates().has(id))
}
