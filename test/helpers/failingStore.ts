/**
 * A real SQLite store that fails on demand, for the storage-failure rules (docs/server-rules.md
 * [S3]): loads, appends or client-id holds fail while their flag is set, each once {@link
 * FailingStore.gate} opens, so that a test decides when the store fails.
 *
 * @example `const server = await startServer({}, {}, (config) => new FailingStore(config.dataDir))`
 */
import { SqliteStore } from '../../server/store/SqliteStore.ts'

/** A SqliteStore whose loads, appends or client-id holds fail while their flag is set, each once {@link gate} opens. */
export class FailingStore extends SqliteStore {
  failLoads = false
  failAppends = false
  failHolds = false
  /** Appends wait for {@link gate}, then succeed. */
  holdAppends = false
  /** Calls waiting for {@link gate} now. */
  atGate = 0
  /** A failing (or held) call waits for this first: the test decides when the store fails. */
  gate: Promise<void> = Promise.resolve()

  override async loadDocument(...args: Parameters<SqliteStore['loadDocument']>): ReturnType<SqliteStore['loadDocument']> {
    if (this.failLoads) return this.fail('disk I/O error')
    return super.loadDocument(...args)
  }

  override async appendUpdates(...args: Parameters<SqliteStore['appendUpdates']>): ReturnType<SqliteStore['appendUpdates']> {
    if (this.failAppends) return this.fail('disk full')
    if (this.holdAppends) await this.waitAtGate()
    return super.appendUpdates(...args)
  }

  override async holdClientIds(...args: Parameters<SqliteStore['holdClientIds']>): ReturnType<SqliteStore['holdClientIds']> {
    if (this.failHolds) return this.fail('database is locked')
    return super.holdClientIds(...args)
  }

  private async fail(message: string): Promise<never> {
    await this.waitAtGate()
    throw new Error(message)
  }

  private async waitAtGate(): Promise<void> {
    this.atGate++
    await this.gate
    this.atGate--
  }
}

