/**
 * Who holds each Yjs client id of a room's document for good (`docs/server-rules.md` [S29]): a
 * keyed participant's ids, kept in the store so that they stay its own after the room unloaded,
 * after a restart, and on every instance sharing the store. Loaded with the room; an id the room
 * does not know yet is looked up, or given to the writer, in the store before the update that
 * brings it is checked, once per id and room: the hot path reads memory only.
 */
import * as Y from 'yjs'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import type { Logger } from '../log.ts'
import type { ClientIdHoldBounds, Store } from '../store/Store.ts'
import type { Connection } from './Connection.ts'
import type { UpdateWrites } from './decodeMessage.ts'

/** Bounds of the holds ([S29]). */
export const CLIENT_ID_LIMITS = {
  /** Days a hold is kept after it was taken: offline edits older than that may be claimed by anyone first. */
  retentionDays: 30,
  /**
   * Most holds one document keeps; a full document gives no new hold, so no one's hold is pushed
   * out by another's (a page load takes one per board). An id not held is its writer's while it
   * is connected, as a keyless writer's.
   */
  maxPerDocument: 5_000,
  /**
   * Most holds one participant keeps in one document; beyond it, its own oldest go. A newer page
   * load of the same browser reads the older loads' offline edits from IndexedDB and sends them,
   * so an old id of its own is no longer needed once 32 newer ones were taken.
   */
  maxPerParticipant: 32,
  /**
   * Most holds given in one document to participants connecting from one address (IPv6 per /64)
   * with one link: beyond it, none more from there with that link, so that one outsider minting
   * keys cannot take the whole document (it takes ten addresses or links), nor the holds of those
   * behind its address with another link. Fifty people behind one address with ten page loads each fit.
   */
  maxPerSource: 500,
  /**
   * Most client ids one connection may bring that its room did not know (a page brings one, plus
   * one per earlier page load whose offline edits it still holds); over it, 4422.
   */
  maxPerConnection: 32,
} as const

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * How an update that waited for the store ended: `known` (judge it now), `refused` (its connection
 * brought too many ids and was closed), or `unstored` (the store failed after its connection had
 * departed: nobody will send it again, so the room keeps it for later, [S3]).
 */
export type LookupOutcome = 'known' | 'refused' | 'unstored'

/** Whether the room already refuses `conn` the client id `client` (a live holder decides, [S29]). */
export type LiveRefuses = (conn: Connection, client: number) => boolean

export class ClientIdHolders {
  /** Per client id: the participant holding it in the store, or null when the store had nobody. */
  private readonly held: Map<number, string | null>
  /** Per connection, its updates waiting for the store, as one chain (they keep their order). */
  private readonly waiting = new Map<Connection, Promise<void>>()
  /** Per connection, the client ids it brought to the store (each asked once, counted once). */
  private readonly asked = new WeakMap<Connection, Set<number>>()
  /** Connections closed for bringing too many ids: nothing more of theirs is applied. */
  private readonly refused = new WeakSet<Connection>()

  private constructor(
    private readonly docName: string,
    private readonly store: Store,
    private readonly log: Logger,
    held: Map<number, string>,
  ) {
    this.held = held
  }

  /** The holds of `docName`, read from `store` (with the room, [S29]). */
  static async load(docName: string, store: Store, log: Logger): Promise<ClientIdHolders> {
    return new ClientIdHolders(docName, store, log, await store.loadClientIdHolders(docName, bounds().since))
  }

  /** The participant holding `client` in the store; null when it has nobody; undefined when not asked yet. */
  holder(client: number): string | null | undefined {
    return this.held.get(client)
  }

  /**
   * Whether the room already knows who holds every client id `writes` adds to `doc`, and nothing of
   * `conn` waits for the store: then its update is judged at once, without {@link whenKnown} (the
   * hot path: no store call, no callback). `liveRefuses(conn, client)`: the room already refuses
   * `conn` that id (another live participant writes with it), so it needs no store call.
   */
  knowsAll(conn: Connection, writes: UpdateWrites, doc: Y.Doc, liveRefuses: LiveRefuses): boolean {
    if (this.waiting.has(conn)) return false
    for (const [client, end] of writes) if (this.isUnknown(conn, client, end, doc, liveRefuses)) return false
    return true
  }

  /**
   * Calls `then('known')` once the room knows who holds every client id `writes` adds to `doc`
   * (see {@link knowsAll}): at once when it knows them all and nothing of `conn` is waiting, else
   * after one store call that also gives `conn`'s participant (keyed only) the ids nobody holds. It
   * runs even when `conn` closed meanwhile (what it sent before closing counts). A connection
   * bringing too many ids is closed (`refused`); a failing store closes a live `conn` (`refused`:
   * the peer resends its copy when it reconnects) and reports `unstored` for a
   * {@link Connection.departed departed} one.
   */
  whenKnown(conn: Connection, writes: UpdateWrites, doc: Y.Doc, liveRefuses: LiveRefuses, then: (outcome: LookupOutcome) => void): void {
    const tail = this.waiting.get(conn)
    if (!tail) {
      const unknown = this.unknown(conn, writes, doc, liveRefuses)
      if (unknown.length === 0) return then('known')
      this.chain(conn, this.ask(conn, unknown), then)
      return
    }
    // Judged once the updates before it are known: they may bring the same ids.
    this.chain(conn, tail.then(() => this.ask(conn, this.unknown(conn, writes, doc, liveRefuses))), then)
  }

  /** How many connections have updates waiting for the store. */
  get waitingCount(): number {
    return this.waiting.size
  }

  /** Resolves once no update waits for the store (every chain so far has run). */
  async settled(): Promise<void> {
    while (this.waiting.size > 0) await Promise.allSettled([...this.waiting.values()])
  }

  // An update received before its connection closed is still judged and, if allowed, applied:
  // a client that writes and leaves at once loses nothing ([S12]), as without the look-up.
  private chain(conn: Connection, asked: Promise<boolean>, then: (outcome: LookupOutcome) => void): void {
    const step = asked.then(
      (allowed) => then(allowed ? 'known' : 'refused'),
      (error: unknown) => {
        this.log.error('sync.client_ids_failed', { room: this.docName, conn: conn.id, error: String(error) })
        if (conn.departed) return then('unstored')
        // A live peer is closed with a retryable code and resends its copy when it reconnects.
        conn.close(CLOSE_CODES.internalError, 'storage failed')
        then('refused')
      },
    )
    this.waiting.set(conn, step)
    void step.then(() => {
      if (this.waiting.get(conn) === step) this.waiting.delete(conn)
    })
  }

  /** The client ids of `writes` that add to `doc` and that the room must ask the store about. */
  private unknown(conn: Connection, writes: UpdateWrites, doc: Y.Doc, liveRefuses: LiveRefuses): number[] {
    const unknown: number[] = []
    for (const [client, end] of writes) if (this.isUnknown(conn, client, end, doc, liveRefuses)) unknown.push(client)
    return unknown
  }

  /** Whether `conn` writing `client` up to `end` adds to `doc` with an id the room must ask the store about. */
  private isUnknown(conn: Connection, client: number, end: number, doc: Y.Doc, liveRefuses: LiveRefuses): boolean {
    if (end <= Y.getState(doc.store, client)) return false
    const held = this.held.get(client)
    // Known: held (the room judges), or nobody's and a keyless writer (which holds nothing for
    // good) or one that asked already (the document was full).
    if (typeof held === 'string' || (held === null && (!conn.keyed || this.asked.get(conn)?.has(client)))) return false
    return !liveRefuses(conn, client)
  }

  /**
   * Asks the store about `clients` (giving them to a keyed `conn`), and remembers the answer. False
   * when `conn` was refused for bringing too many ids (now or by an earlier update).
   */
  private async ask(conn: Connection, clients: number[]): Promise<boolean> {
    if (this.refused.has(conn)) return false
    if (clients.length === 0) return true
    let asked = this.asked.get(conn)
    if (!asked) this.asked.set(conn, (asked = new Set()))
    for (const client of clients) asked.add(client)
    if (asked.size > CLIENT_ID_LIMITS.maxPerConnection || !clients.every((client) => Number.isSafeInteger(client) && client >= 0)) {
      this.refused.add(conn)
      conn.close(CLOSE_CODES.updateRefused, 'too many Yjs client ids from one connection')
      return false
    }
    const holders = await this.store.holdClientIds(this.docName, clients, conn.keyed ? { participant: conn.participant, source: conn.source } : null, bounds())
    for (const client of clients) this.held.set(client, holders.get(client) ?? null)
    // A keyed writer is given every id nobody holds unless the document is full ([S29]).
    const unheld = conn.keyed ? clients.filter((client) => !holders.has(client)).length : 0
    if (unheld > 0) this.log.warn('sync.client_ids_full', { room: this.docName, conn: conn.id, unheld })
    return true
  }
}

/** Retention and cap of the holds, as of now. */
function bounds(): ClientIdHoldBounds {
  return { since: new Date(Date.now() - CLIENT_ID_LIMITS.retentionDays * DAY_MS).toISOString(), max: CLIENT_ID_LIMITS.maxPerDocument, maxPerParticipant: CLIENT_ID_LIMITS.maxPerParticipant, maxPerSource: CLIENT_ID_LIMITS.maxPerSource }
}
