/**
 * Bench-only Hocuspocus 4 server: `@hocuspocus/extension-sqlite` on a file database, and with
 * REDIS_PORT `@hocuspocus/extension-redis` too (several instances sharing that file, the cluster
 * suite's reference peer). Plain JavaScript, run by plain Node as a Hocuspocus deployment would be.
 * Environment: HOST, PORT (0 for any), DATA_DIR (holds `hocuspocus.sqlite`), REDIS_PORT (optional).
 * Prints `listening on http://HOST:PORT` once it accepts connections.
 */
import { join } from 'node:path'
import { Server } from '@hocuspocus/server'
import { SQLite } from '@hocuspocus/extension-sqlite'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? '0')
const dataDir = process.env.DATA_DIR
if (!dataDir) throw new Error('DATA_DIR is required')
const redisPort = process.env.REDIS_PORT

const extensions = [new SQLite({ database: join(dataDir, 'hocuspocus.sqlite') })]
if (redisPort) {
  const { Redis } = await import('@hocuspocus/extension-redis')
  extensions.unshift(new Redis({ host: '127.0.0.1', port: Number(redisPort) }))
}
const server = new Server({ address: host, port, quiet: true, extensions })
await server.listen()
console.log(`listening on http://${host}:${server.address.port}`)
