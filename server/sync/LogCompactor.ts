/**
 * Keeps one document's update log short ([S5]): counts what is appended and, past a threshold that
 * grows with the document, replaces the rows the room has applied by its merged state, in one
 * store transaction. Also compacts on demand when the room unloads ([S23]).
 *
 * With several writers on one log (instances sharing PostgreSQL), rows of other writers can be
 * numbered between this room's own; a compaction up to the room's last own row would delete them
 * although its doc lacks them. So it compacts only up to the highest number below which the room
 * has applied every row: what it loaded, plus its own rows as long as the log holds nothing else
 * above that point (checked with `readUpdatesSince` before each compaction).
 */
import * as Y from 'yjs'
import type { Logger } from '../log.ts'
import type { PersistedDocument, Store, UpdatesSince } from '../store/Store.ts'

export type CompactionLimits = { compactAfterUpdates: number; compactAfterBytes: number }

/**
 * How a room compacts when several instances serve its board (server/cluster/BoardFanout.ts):
 * the fan-out knows the room's applied prefix exactly (its own rows and every other instance's,
 * applied in sequence order), and one instance at a time compacts, under a fenced lease.
 */
export interface CompactionCluster {
  /** The highest N such that the room has applied every row of `docName` up to N. */
  appliedSeq(docName: string): number | undefined
  /**
   * Compacts under this instance's lease of the board (taken if free); false when another
   * instance holds it, or took it over meanwhile (nothing was changed then).
   */
  compact(docName: string, merged: Uint8Array, upToSeq: number): Promise<boolean>
}

/**
 * [S23] Each row the log may hold beyond `compactAfterUpdates` per this many bytes of merged state.
 * Compacting re-encodes the whole document, so with a fixed row limit a 2 MB board spent ~40 % of
 * its CPU re-encoding itself; scaled, the encode costs about as much per update at any size.
 */
const MERGED_BYTES_PER_ROW = 256

/** A group commit of this room's updates, as reported by `appended`. */
type OwnCommit = { seq: number; rows: number; bytes: number }

function rowsOf(commits: readonly OwnCommit[]): number {
  return commits.reduce((n, commit) => n + commit.rows, 0)
}

function bytesOf(commits: readonly OwnCommit[]): number {
  return commits.reduce((n, commit) => n + commit.bytes, 0)
}

export class LogCompactor {
  /** The room has applied every row of the log numbered up to this one. */
  private appliedSeq: number
  /** This room's own commits numbered above `appliedSeq`, in order: the last row's number, rows and bytes of each. */
  private ownAbove: OwnCommit[] = []
  /** After a compaction found nothing it may merge, the next waits until `rows` reaches this. */
  private retryAtRows = 0
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
    private readonly deps: CompactionLimits & { store: Store; log: Logger; cluster?: CompactionCluster | undefined },
  ) {
    // Loading read every row up to lastSeq (a document's rows are numbered in commit order).
    this.appliedSeq = loaded.lastSeq
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
    if (this.rows < this.retryAtRows) return false
    const rowLimit = Math.max(this.deps.compactAfterUpdates, Math.floor(this.mergedBytes / MERGED_BYTES_PER_ROW))
    const byteLimit = Math.max(this.deps.compactAfterBytes, this.mergedBytes)
    return this.rows >= rowLimit || this.appendedBytes >= byteLimit
  }

  /** Records a group commit of `rows` updates of this room (`bytes` in total), the last stored as `dbSeq`. */
  appended(rows: number, bytes: number, dbSeq: number): void {
    if (rows > 0) this.ownAbove.push({ seq: dbSeq, rows, bytes })
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

  /**
   * The highest number up to which the room has applied every row: `appliedSeq`, extended over the
   * rows read above it while they are this room's own commits, in order (same last number, same
   * bytes). The first other row ends it: another writer's, or a merged row of another instance's
   * compaction (which keeps the number of the last row it merged but not its size).
   */
  private ownPrefix(since: UpdatesSince): number {
    let prefix = this.appliedSeq
    let row = 0
    for (const commit of this.ownAbove) {
      const end = row + commit.rows
      if (since.seqs[end - 1] !== commit.seq) break
      const bytes = since.updates.slice(row, end).reduce((n, update) => n + update.byteLength, 0)
      if (bytes !== commit.bytes) break
      prefix = commit.seq
      row = end
    }
    return prefix
  }

  private async compact(): Promise<void> {
    try {
      if (this.stopped) return
      // With several instances the fan-out knows the applied prefix (0 until it follows the room:
      // nothing is compacted before); alone, it is read from the log.
      const cluster = this.deps.cluster
      const since = cluster ? undefined : await this.deps.store.readUpdatesSince(this.docName, this.appliedSeq)
      if (this.stopped) return
      const upToSeq = since === undefined ? (cluster?.appliedSeq(this.docName) ?? 0) : this.ownPrefix(since)
      const rowsUpTo = this.rows - rowsOf(this.ownAbove.filter((commit) => commit.seq > upToSeq))
      if (upToSeq < 1 || rowsUpTo < 2) {
        // A row this room has not applied comes first (another writer's, or its own not yet
        // reported): nothing to merge yet. Try again after another threshold's worth of rows
        // rather than after every commit.
        this.retryAtRows = this.rows + this.deps.compactAfterUpdates
        this.deps.log.info('sync.compaction_deferred', { room: this.docName, appliedSeq: this.appliedSeq, rowsAbove: since?.seqs.length })
        return
      }
      // The doc holds every row up to upToSeq (changes are applied before they are stored), maybe
      // newer changes still in flight too: storing a superset is safe, rows after upToSeq stay.
      const merged = Y.encodeStateAsUpdate(this.doc)
      if (!cluster) await this.deps.store.compactDocument(this.docName, merged, upToSeq)
      else if (!(await cluster.compact(this.docName, merged, upToSeq))) {
        // Another instance compacts this board: forget the rows it will merge, try again later.
        this.ownAbove = this.ownAbove.filter((commit) => commit.seq > upToSeq)
        this.retryAtRows = this.rows + this.deps.compactAfterUpdates
        return
      }
      this.appliedSeq = upToSeq
      this.ownAbove = this.ownAbove.filter((commit) => commit.seq > upToSeq)
      // One merged row, and this room's rows after it (committed while this ran, too).
      const bytes = this.appendedBytes - bytesOf(this.ownAbove)
      this.rows = 1 + rowsOf(this.ownAbove)
      this.appendedBytes -= bytes
      this.retryAtRows = 0
      this.mergedBytes = merged.byteLength
      this.deps.log.debug('sync.compacted', { room: this.docName, upToSeq, rows: rowsUpTo, bytes, merged: merged.byteLength })
    } catch (error) {
      this.deps.log.error('store.compact_failed', { room: this.docName, error: String(error) })
    }
  }
}
