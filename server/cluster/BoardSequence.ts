/**
 * One followed room's place in its board's log (issue 17, [S32], [S34]): which rows are applied,
 * which wait for a gap to fill, and the catch-up from PostgreSQL when the bus does not fill it.
 * Rows are applied in sequence order and never stored again; the transport that brings them is
 * {@link BoardFanout}'s.
 */
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import type { Room } from '../sync/Room.ts'

/** Rows received ahead of a gap are kept up to this many; beyond, the catch-up reads them again. */
const MAX_PENDING_ROWS = 1_000

export type BoardSequenceDeps = {
  store: Pick<Store, 'readUpdatesSince'>
  log: Logger
  /** How long a gap in a board's numbers may wait for the bus before it is read from PostgreSQL. */
  gapWaitMs: number
}

export class BoardSequence {
  /** Every row of the board up to this one is applied in the room's doc. */
  applied: number
  /** This instance's own rows above `applied` (stored out of order with other instances' rows). */
  private readonly own = new Set<number>()
  /** Other instances' rows above `applied + 1`, waiting for the gap to fill. */
  private readonly pending = new Map<number, Uint8Array>()
  private gapTimer: NodeJS.Timeout | undefined
  private catchingUp: Promise<void> | undefined
  /** Another catch-up was asked for while one ran. */
  private again = false
  private stopped = false

  constructor(
    readonly room: Room,
    private readonly deps: BoardSequenceDeps,
  ) {
    this.applied = room.loadedSeq
  }

  /** Row `seq` of the room's board: this instance's own (`update` undefined) or another's. */
  accept(seq: number, update: Uint8Array | undefined): void {
    if (seq <= this.applied) return
    if (seq === this.applied + 1) {
      if (update) this.room.applyRemote(update, seq)
      this.applied = seq
      this.drain()
      return
    }
    if (update === undefined) this.own.add(seq)
    else if (this.pending.size < MAX_PENDING_ROWS) this.pending.set(seq, update)
    // A gap: the rows between are usually on the bus already; if not soon, PostgreSQL has them.
    this.waitForGap()
  }

  /** Reads and applies every row above `applied` from PostgreSQL (one read at a time per room). */
  catchUp(): Promise<void> {
    if (this.catchingUp) {
      this.again = true
      return this.catchingUp
    }
    const run = async () => {
      do {
        this.again = false
        let since
        try {
          since = await this.deps.store.readUpdatesSince(this.room.name, this.applied)
        } catch (error) {
          this.deps.log.warn('cluster.catch_up_failed', { room: this.room.name, error: String(error) })
          return
        }
        if (this.stopped) return
        if (since.seqs.some((seq) => seq > this.applied)) {
          // [S39] rows stored before a change this instance has not heard of are judged by it.
          try {
            await this.room.readStoredSensitivity()
          } catch (error) {
            this.deps.log.warn('cluster.catch_up_failed', { room: this.room.name, error: String(error) })
            return
          }
          if (this.stopped) return
        }
        for (const [i, seq] of since.seqs.entries()) {
          if (seq <= this.applied) continue
          const update = since.updates[i]
          // Applied even when the number is one of this instance's own rows: another instance's
          // compaction may have stored its merged row under that number, holding rows this room
          // lacks. An own row applied again changes nothing (Yjs skips what the doc has).
          if (update !== undefined) this.room.applyRemote(update, seq)
          this.applied = seq
        }
        this.drain()
      } while (this.again)
    }
    this.catchingUp = run().finally(() => {
      this.catchingUp = undefined
    })
    return this.catchingUp
  }

  /** Stops waiting for gaps; a catch-up in flight applies nothing more. */
  stop(): void {
    this.stopped = true
    clearTimeout(this.gapTimer)
  }

  /** Applies what follows `applied` without a gap. */
  private drain(): void {
    for (;;) {
      const next = this.applied + 1
      if (this.own.delete(next)) {
        this.applied = next
        continue
      }
      const update = this.pending.get(next)
      if (update === undefined) break
      this.pending.delete(next)
      this.room.applyRemote(update, next)
      this.applied = next
    }
    for (const seq of this.own) if (seq <= this.applied) this.own.delete(seq)
    for (const seq of this.pending.keys()) if (seq <= this.applied) this.pending.delete(seq)
    if (this.own.size === 0 && this.pending.size === 0) {
      clearTimeout(this.gapTimer)
      this.gapTimer = undefined
    } else {
      // Rows above a gap the last read did not reach (committed after it): wait for them again.
      this.waitForGap()
    }
  }

  /** Reads the log if a gap in the room's numbers is not filled by the bus soon. */
  private waitForGap(): void {
    if (this.stopped) return
    this.gapTimer ??= setTimeout(() => {
      this.gapTimer = undefined
      void this.catchUp()
    }, this.deps.gapWaitMs)
  }
}
