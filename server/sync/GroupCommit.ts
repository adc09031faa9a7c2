/**
 * Group commit ([S1], [S2]): updates of all rooms received during one event-loop turn are written
 * in one store transaction, and only then handed back to their rooms to be relayed. A room first
 * applies the updates it received in the turn as one Yjs transaction ([S4]); the update that
 * transaction emits is what is stored (one row per room) and relayed.
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import { SensitivityChangedError, WorkshopDeletedError, type Store } from '../store/Store.ts'

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
   * `merged` is the stored merge of this commit's updates of the target (in enqueue order);
   * `generation` the sensitivity generation the store's fence stored it under ([S37], [S39]).
   */
  onDurable(localSeq: number, dbSeq: number, rows: number, bytes: number, merged: Uint8Array, generation?: number): void
  /** Storing failed: nothing of this batch is durable. */
  onDurabilityFailed(error: unknown): void
  /**
   * [S37] A shared document's room: the workshop's sensitivity generation it judges updates by
   * now; each update is stored only while the workshop's is the one it was judged by.
   */
  readonly sensitivityGeneration?: number | undefined
  /**
   * [S37] The store refused the target's updates up to `localSeq` as judged by an older sensitivity
   * (nothing of them is stored or relayed). Resolves true once the target has judged them by the
   * stored one and they may be appended again, false when it refused them (it broke).
   */
  rejudge?(localSeq: number): Promise<boolean>
  /**
   * [S37] Asked once `rejudge` kept the updates: when the target changed them meanwhile, everything
   * it has not stored yet, as one update that replaces its refused and queued updates.
   */
  takeRewrite?(): Uint8Array | undefined
}

/** `generation`: the oldest sensitivity generation the updates were judged by ([S37]). */
type Pending = { updates: Uint8Array[]; localSeq: number; generation: number | undefined }

export class GroupCommit {
  /** Per target, in the order targets first enqueued. */
  private queue = new Map<CommitTarget, Pending>()
  private queued = 0
  /** [S37] Targets judging refused updates again (nothing of theirs is written meanwhile), and until when. */
  private readonly rejudging = new Map<CommitTarget, Promise<void>>()
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
    const generation = target.sensitivityGeneration
    if (pending) {
      pending.updates.push(update)
      pending.localSeq = localSeq
      pending.generation = older(pending.generation, generation)
    } else {
      this.queue.set(target, { updates: [update], localSeq, generation })
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
      if (this.hasReady() || this.toApply.size > 0) this.schedule()
    })
    // [S37] updates held for a judgement are written (or dropped) once it is given.
    const judging = [...this.rejudging.values()]
    return judging.length === 0 ? this.running : this.running.then(() => Promise.all(judging)).then(() => this.flush())
  }

  /** Whether something queued may be written now (not held for {@link rejudge}). */
  private hasReady(): boolean {
    for (const target of this.queue.keys()) if (!this.rejudging.has(target)) return true
    return false
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
  private requeue(target: CommitTarget, merged: Uint8Array, localSeq: number, generation: number | undefined): void {
    const pending = this.queue.get(target)
    if (pending) {
      pending.updates.unshift(merged)
      pending.generation = older(pending.generation, generation)
    } else {
      this.queue.set(target, { updates: [merged], localSeq, generation })
    }
    this.queued++
  }

  /**
   * [S37] Holds `target`'s refused update (and whatever it queues meanwhile) until it has judged
   * it again; then writes it, tagged with the generation it was judged by now, or drops the
   * target's queue when it refused it.
   */
  private rejudge(target: CommitTarget, merged: Uint8Array, localSeq: number): void {
    const judged = target.rejudge?.(localSeq) ?? Promise.reject(new Error(`${target.name} cannot judge its updates again`))
    const done = judged
      .catch((error: unknown) => {
        this.log.error('sync.rejudge_failed', { room: target.name, error: String(error) })
        target.onDurabilityFailed(error)
        return false
      })
      .then((keep) => {
        this.rejudging.delete(target)
        const rewritten = keep ? target.takeRewrite?.() : undefined
        if (rewritten) {
          const pending = this.queue.get(target)
          this.queued -= pending?.updates.length ?? 0
          this.queue.set(target, { updates: [rewritten], localSeq: pending?.localSeq ?? localSeq, generation: target.sensitivityGeneration })
          this.queued++
        } else if (keep) {
          this.requeue(target, merged, localSeq, target.sensitivityGeneration)
        } else {
          this.queued -= this.queue.get(target)?.updates.length ?? 0
          this.queue.delete(target)
        }
        if (!this.running) this.schedule()
      })
    this.rejudging.set(target, done)
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
      const ready = [...this.queue].filter(([target]) => !this.rejudging.has(target))
      if (ready.length === 0) return
      const batch = ready.map(([target, p]) => ({ target, localSeq: p.localSeq, merged: merge(p.updates), generation: p.generation }))
      for (const [target, p] of ready) {
        this.queue.delete(target)
        this.queued -= p.updates.length
      }
      let seqs: number[]
      try {
        seqs = await this.store.appendUpdates(batch.map((b) => ({ docName: b.target.name, update: b.merged, sensitivityGeneration: b.generation })))
      } catch (error) {
        if (error instanceof SensitivityChangedError) {
          // [S37] a change of sensitivity was stored since those rooms judged their updates: they
          // judge them again before anything is stored; the others' go in the next round.
          const stale = new Set(error.docNames)
          this.log.info('store.append_refused_stale_sensitivity', { rooms: [...stale].join(' ') })
          for (const b of batch) {
            if (stale.has(b.target.name)) this.rejudge(b.target, b.merged, b.localSeq)
            else this.requeue(b.target, b.merged, b.localSeq, b.generation)
          }
          continue
        }
        if (error instanceof WorkshopDeletedError) {
          // [S36] another instance deleted their workshop: only those rooms fail; the others'
          // updates (nothing of the batch was stored) are written again in the next round.
          const gone = new Set(error.docNames)
          this.log.warn('store.append_refused_deleted_workshop', { rooms: [...gone].join(' ') })
          for (const b of batch) {
            if (gone.has(b.target.name)) b.target.onDurabilityFailed(error)
            else this.requeue(b.target, b.merged, b.localSeq, b.generation)
          }
          continue
        }
        this.log.error('store.append_failed', { rooms: batch.length, error: String(error) })
        for (const { target } of batch) target.onDurabilityFailed(error)
        continue
      }
      batch.forEach((b, i) => b.target.onDurable(b.localSeq, seqs[i] ?? 0, 1, b.merged.byteLength, b.merged, b.generation))
    }
  }
}

/** The older of two sensitivity generations, either absent (not judged). */
function older(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b)
}

function merge(updates: Uint8Array[]): Uint8Array {
  const [first] = updates
  // Every update was decoded before it was applied ([S6]), so merging them cannot fail on input.
  return updates.length === 1 && first !== undefined ? first : Y.mergeUpdates(updates)
}
