/**
 * Preloaded (`--import`) into `@y/websocket-server` by `bench/fanOutLatency.ts` for the spec
 * `y-websocket-server+<µs>`: before the server handles each WebSocket message it works
 * `SPIN_BEFORE_MESSAGE_US` of CPU, as Keyplan's checks, transaction and durable append do before
 * its relay. An experiment on what that work does to the relay's spread on a machine whose
 * receivers share the server's cores (docs/sync-server-targets.md, fifteenth session).
 */
import { createRequire } from 'node:module'

// The server's own copy of ws (nested under its package), whose sockets emit its messages.
const require = createRequire(new URL('../../node_modules/@y/websocket-server/src/server.js', import.meta.url))
const WebSocket = require('ws')
const spinNs = BigInt(Math.round(Number(process.env.SPIN_BEFORE_MESSAGE_US ?? 0) * 1000))
const emit = WebSocket.prototype.emit
WebSocket.prototype.emit = function (event, ...args) {
  if (event === 'message' && spinNs > 0n) {
    const until = process.hrtime.bigint() + spinNs
    while (process.hrtime.bigint() < until);
  }
  return emit.call(this, event, ...args)
}
