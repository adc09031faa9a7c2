/**
 * One followed room's place in its board's log (issue 17, [S32], [S34]): which rows are applied,
 * which wait for a gap to fill, and the catch-up from PostgreSQL when the bus does not fill it.
 * Rows are applied in sequence order and never stored again; the transport that brings them is
 * {@link BoardFanout}'s.
 */
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import type { RemoteRow, Room } from '../sync/Room.ts'

/** [S39] A bus row's writer, how it judged the row, and the generation Redis knew at its publish (undefined: no key, [S41]). */
export type BusRow = RemoteRow & { known: number | undefined }

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
  /** Other instances' rows above `applied + 1`, waiting for the gap to fill (with what the bus said of them). */
  private readonly pending = new Map<number, { update: Uint8Array; row: BusRow | undefined }>()
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

  /** Row `seq` of the room's board: this instance's own (`update` undefined) or another's (`row`: as the bus said). */
  accept(seq: number, update: Uint8Array | undefined, row?: BusRow): void {
    if (seq <= this.applied) return
    if (seq === this.applied + 1 && !(update && this.mustLearn(row))) {
      if (update) this.room.applyRemote(update, seq, row)
      this.applied = seq
      this.drain()
      return
    }
    if (update === undefined) this.own.add(seq)
    else if (this.pending.size < MAX_PENDING_ROWS) this.pending.set(seq, { update, row })
    // [S39] a row of a generation this room has not heard of: the catch-up reads the stored
    // sensitivity before it applies anything (this row is stored: it was published after its commit).
    if (update && this.mustLearn(row)) {
      void this.catchUp()
      return
    }
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
        const learning = [...this.pending.values()].some((p) => this.mustLearn(p.row))
        if (learning || since.seqs.some((seq) => seq > this.applied)) {
          // [S39] rows stored before a change this instance has not heard of are judged by it.
          try {
            const generation = await this.room.readStoredSensitivity()
            // What a guest on this instance was sent, and judged by what, can be told from the log.
            this.deps.log.debug('cluster.catch_up', { room: this.room.name, after: this.applied, rows: since.seqs.length, last: since.seqs.at(-1) ?? 'none', generation: generation ?? 'none' })
          } catch (error) {
            this.deps.log.warn('cluster.catch_up_failed', { room: this.room.name, error: String(error) })
            return
          }
          if (this.stopped) return
          // A generation the store does not hold (Redis ahead of it): such rows are judged by content.
          for (const p of this.pending.values()) if (this.mustLearn(p.row)) p.row = undefined
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
      const pending = this.pending.get(next)
      if (pending === undefined) break
      if (this.mustLearn(pending.row)) {
        void this.catchUp()
        break
      }
      this.pending.delete(next)
      this.room.applyRemote(pending.update, next, pending.row)
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

  /**
   * [S39] Whether a bus row tells of a sensitivity generation newer than the room's (its writer
   * judged it by one, or Redis knew one when it was published): applied by the old one, it could
   * reach guests with a value internal now. Two comparisons when the generations agree. [S41] A row
   * published while Redis had no generation of the workshop (lost with a restart, the changer maybe
   * dead) tells nothing: the stored sensitivity is read before it is applied.
   */
  private mustLearn(row: BusRow | undefined): boolean {
    const generation = this.room.sensitivityGeneration
    return row !== undefined && generation !== undefined && (row.generation > generation || row.known === undefined || row.known > generation)
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
