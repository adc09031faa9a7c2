/**
 * The store contract against a slow store (issue 17): PostgreSQL behind a link that adds 3 ms to
 * every packet each way (`test/helpers/slowProxy.ts`), as a database in another zone would. Every
 * guarantee of the contract (order of appends, sequences that never repeat, compaction that keeps
 * what it did not merge with several writers, fenced writes) must hold when each round trip takes
 * longer and concurrent calls interleave differently.
 */
import { afterAll, beforeAll } from 'vitest'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { startSlowProxy, type SlowProxy } from '../helpers/slowProxy.ts'
import { storeContractSuite } from './store-contract.ts'

const LINK_DELAY_MS = 3

let postgres: PostgresCluster
let proxy: SlowProxy
beforeAll(async () => {
  postgres = await startPostgres()
  proxy = await startSlowProxy(postgres.port, LINK_DELAY_MS)
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  await proxy?.close()
  await postgres?.stop()
})

storeContractSuite(`PostgresStore behind a ${LINK_DELAY_MS} ms link`, async () => {
  const direct = await postgres.createDatabase()
  const url = direct.replace(`:${postgres.port}/`, `:${proxy.port}/`)
  if (url === direct) throw new Error(`no port ${postgres.port} in ${direct}`)
  return {
    store: await PostgresStore.open(url),
    reopen: () => PostgresStore.open(url),
    another: () => PostgresStore.open(url),
    cleanup: async () => {},
  }
})
