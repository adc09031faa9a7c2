/**
 * Loaded into a child server (`startChildServer(env, { imports: [...] })`): while the file named by
 * `KEYPLAN_TEST_HOLD_CATCH_UP` exists, every read of a board's log from PostgreSQL by the fan-out
 * (`BoardSequence.catchUp`: after a reconnect to Redis, for a gap, for a row of a newer generation)
 * waits before it starts; once the file is gone, they run. A PostgreSQL slow to answer while Redis
 * is fast, at the moment a test needs it, with the real server, PostgreSQL and Redis.
 */
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { BoardSequence } from '../../server/cluster/BoardSequence.ts'

const holdFile = process.env.KEYPLAN_TEST_HOLD_CATCH_UP
const catchUp = BoardSequence.prototype.catchUp
if (holdFile) {
  BoardSequence.prototype.catchUp = async function (this: BoardSequence) {
    while (fs.existsSync(holdFile)) await sleep(50)
    return catchUp.call(this)
  }
}
