/**
 * Bench-only Hocuspocus 4 instance for several instances (issue 17's reference peer):
 * `@hocuspocus/extension-redis` (pub/sub between instances, Redlock around stores) and
 * `@hocuspocus/extension-sqlite` on one file shared by the instances. Plain JavaScript, run by
 * plain Node. Environment: HOST, PORT (0 for any), DATA_DIR (holds `hocuspocus.sqlite`),
 * REDIS_PORT. Prints `listening on http://HOST:PORT` once it accepts connections.
 */
import { join } from 'node:path'
import { Server } from '@hocuspocus/server'
import { Redis } from '@hocuspocus/extension-redis'
import { SQLite } from '@hocuspocus/extension-sqlite'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? '0')
const dataDir = process.env.DATA_DIR
if (!dataDir) throw new Error('DATA_DIR is required')

const server = new Server({
  address: host,
  port,
  quiet: true,
  extensions: [new Redis({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT) }), new SQLite({ database: join(dataDir, 'hocuspocus.sqlite') })],
})
await server.listen()
console.log(`listening on http://${host}:${server.address.port}`)
