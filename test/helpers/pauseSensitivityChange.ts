/**
 * Loaded into a child server (`startChildServer(env, { imports: [...] })`): pauses this instance's
 * changes of field sensitivities at one point while a file exists, and writes `<file>.reached` when
 * one gets there, so that a test knows the pause began (docs/server-rules.md [S40], [S41]):
 *
 * - `KEYPLAN_TEST_PAUSE_AFTER_SENSITIVITY_COMMIT`: once the store has committed the change, before
 *   the instance does anything more for it (on code that raised the generation on Redis after the
 *   commit, before that raise).
 * - `KEYPLAN_TEST_PAUSE_BEFORE_SENSITIVITY_COMMIT`: once the change's generation is announced, its
 *   transaction still open (the row's lock held).
 *
 * What a paused, starved or dying changer does, with the real server, PostgreSQL and Redis.
 */
import fs from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { PostgresStore } from '../../server/store/PostgresStore.ts'

const afterCommit = process.env.KEYPLAN_TEST_PAUSE_AFTER_SENSITIVITY_COMMIT
const beforeCommit = process.env.KEYPLAN_TEST_PAUSE_BEFORE_SENSITIVITY_COMMIT

async function pauseAt(file: string | undefined): Promise<void> {
  if (!file || !fs.existsSync(file)) return
  fs.writeFileSync(`${file}.reached`, '')
  while (fs.existsSync(file)) await sleep(50)
}

const setSensitivity = PostgresStore.prototype.setSensitivity
PostgresStore.prototype.setSensitivity = async function (this: PostgresStore, workshopId, sensitivity, announce) {
  const announceThenPause = async (generation: number) => {
    await announce?.(generation)
    await pauseAt(beforeCommit)
  }
  const generation = await setSensitivity.call(this, workshopId, sensitivity, announceThenPause)
  await pauseAt(afterCommit)
  return generation
}
