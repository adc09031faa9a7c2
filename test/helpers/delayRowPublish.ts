/**
 * Loaded into a child server (`startChildServer(env, { imports: [...] })`): while the file named
 * by `KEYPLAN_TEST_DELAY_PUBLISH` exists, the rows this instance commits are not handed to the
 * fan-out (so not published on Redis); once the file is gone, they are, in order. A publish delayed
 * past whatever a test does meanwhile (a sensitivity change and its moves on another instance),
 * with the real server, PostgreSQL and Redis: what a paused or starved instance does.
 */
import fs from 'node:fs'
import { Room } from '../../server/sync/Room.ts'

const delayFile = process.env.KEYPLAN_TEST_DELAY_PUBLISH
const emit = Room.prototype.emit
if (delayFile) {
  const delayed: Array<{ room: Room; args: unknown[] }> = []
  setInterval(() => {
    if (delayed.length === 0 || fs.existsSync(delayFile)) return
    for (const { room, args } of delayed.splice(0)) Reflect.apply(emit, room, ['committed', args])
  }, 50).unref()
  Room.prototype.emit = function (this: Room, name, args) {
    if (name !== 'committed' || (delayed.length === 0 && !fs.existsSync(delayFile))) return emit.call(this, name, args)
    delayed.push({ room: this, args })
  }
}
