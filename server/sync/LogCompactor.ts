/**
 * Keeps one document's update log short ([S5]): counts what is appended and, past a threshold,
 * replaces the rows up to the last stored sequence number by the merged state, in one store
 * transaction.
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { PersistedDocument, Store } from '../store/Store.ts'

export type CompactionLimits = { compactAfterUpdates: number; compactAfterBytes: number }

export class LogCompactor {
  private dbSeq: number
  private rows: number
  /** Bytes appended since the last compaction (or in total at load): the byte trigger. */
  private appendedBytes: number
  private running = false
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
  }

  /** Rows in the log and bytes appended since the last compaction. */
  get stats(): { logRows: number; appendedBytes: number } {
    return { logRows: this.rows, appendedBytes: this.appendedBytes }
  }

  /** Records a group commit of `rows` updates (`bytes` in total), the last stored as `dbSeq`. */
  appended(rows: number, bytes: number, dbSeq: number): void {
    this.dbSeq = Math.max(this.dbSeq, dbSeq)
    this.rows += rows
    this.appendedBytes += bytes
  }

  /** Starts a compaction after this turn if a threshold is reached and none is running. */
  maybeCompact(): void {
    if (this.running || this.stopped || this.rows < 2) return
    if (this.rows < this.deps.compactAfterUpdates && this.appendedBytes < this.deps.compactAfterBytes) return
    this.running = true
    // Off the relay path: after this turn's relays.
    setImmediate(() => void this.compact())
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
      this.deps.log.debug('sync.compacted', { room: this.docName, rows, bytes, merged: merged.byteLength })
    } catch (error) {
      this.deps.log.error('store.compact_failed', { room: this.docName, error: String(error) })
    } finally {
      this.running = false
    }
  }
}
