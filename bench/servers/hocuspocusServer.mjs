/**
 * Bench-only Hocuspocus 4 server: `@hocuspocus/extension-sqlite` on a file database. Plain
 * JavaScript, run by plain Node as a Hocuspocus deployment would be.
 * Environment: HOST, PORT (0 for any), DATA_DIR (holds `hocuspocus.sqlite`).
 * Prints `listening on http://HOST:PORT` once it accepts connections.
 */
import { join } from 'node:path'
import { Server } from '@hocuspocus/server'
import { SQLite } from '@hocuspocus/extension-sqlite'

const host = process.env.HOST ?? '127.0.0.1'
const port = Number(process.env.PORT ?? '0')
const dataDir = process.env.DATA_DIR
if (!dataDir) throw new Error('DATA_DIR is required')

const server = new Server({
  address: host,
  port,
  quiet: true,
  extensions: [new SQLite({ database: join(dataDir, 'hocuspocus.sqlite') })],
})
await server.listen()
console.log(`listening on http://${host}:${server.address.port}`)
