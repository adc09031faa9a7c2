/**
 * Group commit ([S1], [S2]): updates of all rooms received during one event-loop turn are written
 * in one store transaction, and only then handed back to their rooms to be relayed.
 */
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'

/** What a room needs to hear from the group commit. */
export interface CommitTarget {
  readonly name: string
  /** Every update up to `localSeq` is durable; `dbSeq` is the store's sequence of the last one. */
  onDurable(localSeq: number, dbSeq: number, rows: number, bytes: number): void
  /** Storing failed: nothing of this batch is durable. */
  onDurabilityFailed(error: unknown): void
}

type Pending = { target: CommitTarget; update: Uint8Array; localSeq: number }

export class GroupCommit {
  private queue: Pending[] = []
  private running: Promise<void> | undefined
  private scheduled = false

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Queues one update; it is written with everything else queued in this turn. */
  enqueue(target: CommitTarget, update: Uint8Array, localSeq: number): void {
    this.queue.push({ target, update, localSeq })
    if (!this.running) this.schedule()
  }

  /** Updates waiting to be written. */
  get pending(): number {
    return this.queue.length
  }

  /** Resolves once everything queued so far is written (or failed) and handed back. */
  flush(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined
      // Something queued between the end of the loop and now would otherwise wait.
      if (this.queue.length > 0) this.schedule()
    })
    return this.running
  }

  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    // setImmediate runs after the poll phase, so every frame read in this turn joins the batch.
    setImmediate(() => {
      this.scheduled = false
      void this.flush()
    })
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue
      this.queue = []
      let seqs: number[]
      try {
        seqs = await this.store.appendUpdates(batch.map((p) => ({ docName: p.target.name, update: p.update })))
      } catch (error) {
        this.log.error('store.append_failed', { updates: batch.length, error: String(error) })
        for (const target of new Set(batch.map((p) => p.target))) target.onDurabilityFailed(error)
        continue
      }
      const done = new Map<CommitTarget, { localSeq: number; dbSeq: number; rows: number; bytes: number }>()
      batch.forEach((p, i) => {
        const entry = done.get(p.target) ?? { localSeq: 0, dbSeq: 0, rows: 0, bytes: 0 }
        entry.localSeq = p.localSeq
        entry.dbSeq = seqs[i] ?? entry.dbSeq
        entry.rows++
        entry.bytes += p.update.byteLength
        done.set(p.target, entry)
      })
      for (const [target, e] of done) target.onDurable(e.localSeq, e.dbSeq, e.rows, e.bytes)
    }
  }
}
