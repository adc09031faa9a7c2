/**
 * Loaded into a child server (`startChildServer(env, { imports: [...] })`): while the file named by
 * `KEYPLAN_TEST_PAUSE_GENERATION_RAISE` exists, a raise of a workshop's generation key from what the
 * instance read in the store (`BoardFanout.announceGeneration`: a writer re-creating a key Redis
 * lost, a room that learnt of a change) waits before it is sent, and `<file>.reached` is written
 * when one gets there; once the file is gone, it is sent (docs/server-rules.md [S41]). A writer
 * slow between its read of the store and its raise, with the real server, PostgreSQL and Redis.
 */
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { BoardFanout } from '../../server/cluster/BoardFanout.ts'

const pauseFile = process.env.KEYPLAN_TEST_PAUSE_GENERATION_RAISE
const announceGeneration = BoardFanout.prototype.announceGeneration
if (pauseFile) {
  BoardFanout.prototype.announceGeneration = async function (this: BoardFanout, workshopId, generation) {
    if (fs.existsSync(pauseFile)) {
      fs.writeFileSync(`${pauseFile}.reached`, '')
      while (fs.existsSync(pauseFile)) await sleep(50)
    }
    return announceGeneration.call(this, workshopId, generation)
  }
}
