/**
 * This instance's compaction leases ([S35], docs/decisions/005-several-instances.md): a board is
 * compacted by one instance at a time, under a lease with an epoch that the compaction's own
 * transaction checks, so an instance paused or cut off while another took over writes nothing.
 */
import type { Logger } from '../log.ts'
import { FencedError, type CompactionLeases } from '../store/Store.ts'

export type CompactionLeaseHolderDeps = {
  store: CompactionLeases
  log: Logger
  /** This instance, as the lease table knows it. */
  owner: string
  /** How long a lease lasts; each fenced compaction extends it. */
  leaseMs: number
}

export class CompactionLeaseHolder {
  /** Lease epochs this instance holds, by board. */
  private readonly leases = new Map<string, number>()
  private readonly releases = new Set<Promise<void>>()

  constructor(private readonly deps: CompactionLeaseHolderDeps) {}

  /** Compacts under this instance's lease of the board, taking it if free; false when another holds it or took it over. */
  async compact(docName: string, merged: Uint8Array, upToSeq: number): Promise<boolean> {
    const { store, log, leaseMs, owner } = this.deps
    let epoch = this.leases.get(docName)
    if (epoch === undefined) {
      epoch = await store.acquireCompactionLease(docName, owner, leaseMs)
      if (epoch === undefined) {
        log.debug('cluster.lease_held_elsewhere', { room: docName })
        return false
      }
      this.leases.set(docName, epoch)
      log.info('cluster.lease_acquired', { room: docName, epoch })
    }
    try {
      await store.compactDocumentFenced(docName, merged, upToSeq, { owner, epoch, ttlMs: leaseMs })
      return true
    } catch (error) {
      if (!(error instanceof FencedError)) throw error
      // Another instance took the board over while this one was away (paused, cut off): it wrote nothing.
      if (this.leases.get(docName) === epoch) this.leases.delete(docName)
      log.warn('sync.compaction_fenced', { room: docName, epoch })
      return false
    }
  }

  /**
   * [S39] Whether this instance leads the board (holds its lease, taking it if free): the one that
   * moves rows held from guests whose writer is gone.
   */
  async lead(docName: string): Promise<boolean> {
    if (this.leases.has(docName)) return true
    const epoch = await this.deps.store.acquireCompactionLease(docName, this.deps.owner, this.deps.leaseMs)
    if (epoch === undefined) return false
    this.leases.set(docName, epoch)
    this.deps.log.info('cluster.lease_acquired', { room: docName, epoch })
    return true
  }

  /** The room is gone from here: whoever serves the board next may compact it at once. */
  release(docName: string): void {
    const epoch = this.leases.get(docName)
    if (epoch === undefined) return
    this.leases.delete(docName)
    const release: Promise<void> = this.deps.store
      .releaseCompactionLease(docName, this.deps.owner, epoch)
      .catch((error: unknown) => this.deps.log.warn('cluster.lease_release_failed', { room: docName, error: String(error) }))
      .finally(() => this.releases.delete(release))
    this.releases.add(release)
  }

  /** Resolves once every release in flight is done (or failed). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.releases])
  }
}
