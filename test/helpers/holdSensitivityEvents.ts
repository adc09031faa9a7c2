/**
 * Loaded into a child server (`startChildServer(env, { imports: [...] })`): while the file named
 * by `KEYPLAN_TEST_HOLD_SENSITIVITY` exists, a change of field sensitivities heard from another
 * instance (on Redis or by polling) is held, as if it had not arrived yet; once the file is gone,
 * what was held is applied in order. The instance that has "not heard yet", at the moment a test
 * needs it, with the real server, PostgreSQL and Redis.
 */
import fs from 'node:fs'
import { AccessEvents } from '../../server/cluster/AccessEvents.ts'

const holdFile = process.env.KEYPLAN_TEST_HOLD_SENSITIVITY
const apply = AccessEvents.prototype.apply
if (holdFile) {
  const held: Array<{ events: AccessEvents; event: Parameters<typeof apply>[0] }> = []
  setInterval(() => {
    if (held.length === 0 || fs.existsSync(holdFile)) return
    for (const { events, event } of held.splice(0)) apply.call(events, event)
  }, 50).unref()
  AccessEvents.prototype.apply = function (this: AccessEvents, event) {
    if (event.kind !== 'sensitivity' || (held.length === 0 && !fs.existsSync(holdFile))) return apply.call(this, event)
    held.push({ events: this, event })
    return 0
  }
}
