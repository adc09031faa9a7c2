/**
 * Loaded into a child server (`startChildServer(env, { imports: [KILL_AFTER_COMMIT] })`): once the
 * file named by `KEYPLAN_TEST_KILL_AFTER_COMMIT` holds a document name, the server SIGKILLs itself
 * right after the first store transaction that wrote a row of that document, before it relays or
 * does anything else: a crash at the one moment a test needs, with the real server and store
 * (SQLite or PostgreSQL). An append the store refused wrote nothing and does not count.
 */
import fs from 'node:fs'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import type { DocumentUpdate } from '../../server/store/Store.ts'

const armFile = process.env.KEYPLAN_TEST_KILL_AFTER_COMMIT
if (armFile) {
  for (const prototype of [SqliteStore.prototype, PostgresStore.prototype]) {
    const append = prototype.appendUpdates
    prototype.appendUpdates = async function (this: SqliteStore | PostgresStore, updates: readonly DocumentUpdate[]) {
      const seqs = await append.call(this, updates)
      const docName = fs.existsSync(armFile) ? fs.readFileSync(armFile, 'utf8') : ''
      if (docName !== '' && updates.some((update) => update.docName === docName)) {
        process.kill(process.pid, 'SIGKILL')
        // Never reached: nothing of the commit is handed back to its rooms.
        await new Promise<never>(() => {})
      }
      return seqs
    }
  }
}
