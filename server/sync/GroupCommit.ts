/**
 * Group commit ([S1], [S2]): updates of all rooms received during one event-loop turn are written
 * in one store transaction, and only then handed back to their rooms to be relayed. A room first
 * applies the updates it received in the turn as one Yjs transaction ([S4]); the update that
 * transaction emits is what is stored (one row per room) and relayed.
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import { WorkshopDeletedError, type Store } from '../store/Store.ts'

/** What a room needs to hear from the group commit. */
export interface CommitTarget {
  readonly name: string
  /**
   * Applies what the target received since the last commit (see {@link GroupCommit.beforeCommit});
   * the changes it makes reach the commit through {@link GroupCommit.enqueue}.
   */
  applyQueued(): void
  /**
   * Every update up to `localSeq` is durable; `dbSeq` is the store's sequence of the last row.
   * `merged` is the stored merge of this commit's updates of the target (in enqueue order).
   */
  onDurable(localSeq: number, dbSeq: number, rows: number, bytes: number, merged: Uint8Array): void
  /** Storing failed: nothing of this batch is durable. */
  onDurabilityFailed(error: unknown): void
}

type Pending = { updates: Uint8Array[]; localSeq: number }

export class GroupCommit {
  /** Per target, in the order targets first enqueued. */
  private queue = new Map<CommitTarget, Pending>()
  private queued = 0
  /** Targets to call `applyQueued` on before the next write. */
  private toApply = new Set<CommitTarget>()
  private running: Promise<void> | undefined
  private scheduled = false

  constructor(
    private readonly store: Store,
    private readonly log: Logger,
  ) {}

  /** Queues one update; it is written with everything else queued in this turn. */
  enqueue(target: CommitTarget, update: Uint8Array, localSeq: number): void {
    const pending = this.queue.get(target)
    if (pending) {
      pending.updates.push(update)
      pending.localSeq = localSeq
    } else {
      this.queue.set(target, { updates: [update], localSeq })
    }
    this.queued++
    if (!this.running) this.schedule()
  }

  /** Asks for `target.applyQueued()` before the next write, in this turn's commit. */
  beforeCommit(target: CommitTarget): void {
    this.toApply.add(target)
    if (!this.running) this.schedule()
  }

  /** Updates waiting to be written. */
  get pending(): number {
    return this.queued
  }

  /** Resolves once everything queued so far is written (or failed) and handed back. */
  flush(): Promise<void> {
    this.running ??= this.drain().finally(() => {
      this.running = undefined
      // Something queued between the end of the loop and now would otherwise wait.
      if (this.queued > 0 || this.toApply.size > 0) this.schedule()
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

  /** Puts a batch's update of `target` back, before anything it queued since. */
  private requeue(target: CommitTarget, merged: Uint8Array, localSeq: number): void {
    const pending = this.queue.get(target)
    if (pending) pending.updates.unshift(merged)
    else this.queue.set(target, { updates: [merged], localSeq })
    this.queued++
  }

  private async drain(): Promise<void> {
    for (;;) {
      const toApply = [...this.toApply]
      this.toApply.clear()
      for (const target of toApply) {
        try {
          target.applyQueued()
        } catch (error) {
          // A bug in one room must not hold up the others' writes.
          this.log.error('sync.apply_queued_failed', { room: target.name, error: String(error) })
        }
      }
      if (this.queued === 0) return
      const batch = [...this.queue].map(([target, p]) => ({ target, localSeq: p.localSeq, merged: merge(p.updates) }))
      this.queue = new Map()
      this.queued = 0
      let seqs: number[]
      try {
        seqs = await this.store.appendUpdates(batch.map((b) => ({ docName: b.target.name, update: b.merged })))
      } catch (error) {
        if (error instanceof WorkshopDeletedError) {
          // [S36] another instance deleted their workshop: only those rooms fail; the others'
          // updates (nothing of the batch was stored) are written again in the next round.
          const gone = new Set(error.docNames)
          this.log.warn('store.append_refused_deleted_workshop', { rooms: [...gone].join(' ') })
          for (const b of batch) {
            if (gone.has(b.target.name)) b.target.onDurabilityFailed(error)
            else this.requeue(b.target, b.merged, b.localSeq)
          }
          continue
        }
        this.log.error('store.append_failed', { rooms: batch.length, error: String(error) })
        for (const { target } of batch) target.onDurabilityFailed(error)
        continue
      }
      batch.forEach((b, i) => b.target.onDurable(b.localSeq, seqs[i] ?? 0, 1, b.merged.byteLength, b.merged))
    }
  }
}

function merge(updates: Uint8Array[]): Uint8Array {
  const [first] = updates
  // Every update was decoded before it was applied ([S6]), so merging them cannot fail on input.
  return updates.length === 1 && first !== undefined ? first : Y.mergeUpdates(updates)
}
