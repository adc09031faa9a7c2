/**
 * Keeps one document's update log short ([S5]): counts what is appended and, past a threshold that
 * grows with the document, replaces the rows up to the last stored sequence number by the merged
 * state, in one store transaction. Also compacts on demand when the room unloads ([S23]).
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { PersistedDocument, Store } from '../store/Store.ts'

export type CompactionLimits = { compactAfterUpdates: number; compactAfterBytes: number }

/**
 * [S23] Each row the log may hold beyond `compactAfterUpdates` per this many bytes of merged state.
 * Compacting re-encodes the whole document, so with a fixed row limit a 2 MB board spent ~40 % of
 * its CPU re-encoding itself; scaled, the encode costs about as much per update at any size.
 */
const MERGED_BYTES_PER_ROW = 256

export class LogCompactor {
  private dbSeq: number
  private rows: number
  /** Bytes appended since the last compaction (or in total at load): the byte trigger. */
  private appendedBytes: number
  /** Size of the last merged state (at load: of the first row, which is the merged one). */
  private mergedBytes: number
  private running: Promise<void> | undefined
  private stopped = false

  constructor(
    private readonly docName: string,
    loaded: PersistedDocument,
    private readonly doc: Y.Doc,
    private readonly deps: CompactionLimits & { store: Store; log: Logger },
  ) {
    this.dbSeq = loaded.lastSeq
    this.rows = loaded.updates.length
    this.appendedBytes = loaded.bytes
    this.mergedBytes = loaded.updates[0]?.byteLength ?? 0
  }

  /** Rows in the log and bytes appended since the last compaction. */
  get stats(): { logRows: number; appendedBytes: number } {
    return { logRows: this.rows, appendedBytes: this.appendedBytes }
  }

  /** [S23] thresholds scaled with the document: max(configured, merged size based). */
  private get due(): boolean {
    const rowLimit = Math.max(this.deps.compactAfterUpdates, Math.floor(this.mergedBytes / MERGED_BYTES_PER_ROW))
    const byteLimit = Math.max(this.deps.compactAfterBytes, this.mergedBytes)
    return this.rows >= rowLimit || this.appendedBytes >= byteLimit
  }

  /** Records a group commit of `rows` updates (`bytes` in total), the last stored as `dbSeq`. */
  appended(rows: number, bytes: number, dbSeq: number): void {
    this.dbSeq = Math.max(this.dbSeq, dbSeq)
    this.rows += rows
    this.appendedBytes += bytes
  }

  /** Starts a compaction after this turn if a threshold is reached and none is running. */
  maybeCompact(): void {
    if (this.running || this.stopped || this.rows < 2 || !this.due) return
    // Off the relay path: after this turn's relays.
    void this.start(new Promise((resolve) => setImmediate(resolve)))
  }

  /**
   * [S23] Compacts now whatever the thresholds say (once the room's changes are durable, before it
   * unloads), so that the next load reads one row. Waits for a compaction already running.
   */
  async compactNow(): Promise<void> {
    while (this.running) await this.running
    if (this.stopped || this.rows < 2) return
    await this.start(Promise.resolve())
  }

  /** Runs one compaction after `after`; `running` is set until it has finished. */
  private start(after: Promise<unknown>): Promise<void> {
    const run: Promise<void> = after
      .then(() => this.compact())
      .finally(() => {
        if (this.running !== run) return
        this.running = undefined
        // Rows appended while it ran may have reached the threshold again; no later commit may come.
        this.maybeCompact()
      })
    this.running = run
    return run
  }

  /** No compaction starts after this (the doc is about to be destroyed). */
  stop(): void {
    this.stopped = true
  }

  private async compact(): Promise<void> {
    try {
      if (this.stopped) return
      // The doc holds every row up to dbSeq (changes are applied before they are stored), maybe
      // newer changes still in flight too: storing a superset is safe, rows after dbSeq stay.
      const upToSeq = this.dbSeq
      const rows = this.rows
      const bytes = this.appendedBytes
      const merged = Y.encodeStateAsUpdate(this.doc)
      await this.deps.store.compactDocument(this.docName, merged, upToSeq)
      this.rows = this.rows - rows + 1
      this.appendedBytes -= bytes
      this.mergedBytes = merged.byteLength
      this.deps.log.debug('sync.compacted', { room: this.docName, rows, bytes, merged: merged.byteLength })
    } catch (error) {
      this.deps.log.error('store.compact_failed', { room: this.docName, error: String(error) })
    }
  }
}
