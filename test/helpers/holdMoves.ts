/**
 * Loaded into a child server (`startChildServer(env, { imports: [...] })`): while the file named
 * by `KEYPLAN_TEST_HOLD_MOVES` exists, every move of a board's values between its two documents
 * (`Room.rebalance`, docs/security.md [A35]) waits before it starts; once the file is gone, the
 * moves run. An instance slow to move (or, killed meanwhile, one that never moves), at the moment
 * a test needs it.
 */
import fs from 'node:fs'
import { Room } from '../../server/sync/Room.ts'

const holdFile = process.env.KEYPLAN_TEST_HOLD_MOVES
const rebalance = Room.prototype.rebalance
if (holdFile) {
  Room.prototype.rebalance = async function (this: Room, ...args: Parameters<typeof rebalance>) {
    while (fs.existsSync(holdFile)) await new Promise((resolve) => setTimeout(resolve, 50))
    return rebalance.apply(this, args)
  }
}
