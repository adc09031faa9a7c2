/**
 * The memory floor of the parts Keyplan's server is made of, without any Keyplan code (issue 14:
 * RSS no worse than the best peer). Two probes, each bundled as the server is (Vite's SSR build,
 * `scripts/serverBundle.mjs`'s external packages), each run in a fresh `node --expose-gc` that
 * listens, answers one request, forces two GCs and reads VmRSS and V8's heap:
 * - `peer`: what y-websocket-server is made of: `node:http`, ws, Yjs and y-protocols.
 * - `mandated`: what Keyplan's brief and issues require on top: Hono on Node (the brief's
 *   server, with Node's fetch that `@hono/node-server` loads), better-sqlite3 with a WAL database
 *   (durable before relay), the tldraw schema (issue 11's server-side record validation) and zod
 *   (the plans' and routes' validation).
 * No rooms, no workshops: start-up size only.
 *
 *   node bench/memory/floor.mjs            (ROUNDS=5 by default; prints each round and the median)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'

const repoRoot = fileURLToPath(new URL('../../', import.meta.url))
const ROUNDS = Number(process.env.ROUNDS ?? 5)
const EXTERNAL = ['better-sqlite3', 'bufferutil', 'utf-8-validate', 'yjs', 'lib0', 'y-protocols']

const measure = `
await new Promise((resolve) => setTimeout(resolve, 500))
await new Promise((resolve) => http.get({ host: '127.0.0.1', port: server.address().port, path: '/x' }, (res) => { res.resume(); res.on('end', resolve) }).on('error', resolve))
for (let i = 0; i < 2; i++) { globalThis.gc(); await new Promise((resolve) => setTimeout(resolve, 700)) }
const rss = Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))[1]) / 1024
const young = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').physical_space_size / 2 ** 20
console.log(JSON.stringify({ rss, young, heap: process.memoryUsage().heapUsed / 2 ** 20 }))
process.exit(0)
`
const common = `
import { readFileSync } from 'node:fs'
import http from 'node:http'
import v8 from 'node:v8'
import { WebSocketServer } from 'ws'
import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import { Awareness } from 'y-protocols/awareness'
const doc = new Y.Doc()
doc.getMap('m').set('a', 1)
new Awareness(doc)
new WebSocketServer({ noServer: true })
globalThis.keep = [syncProtocol.readSyncMessage]
`
const PROBES = {
  peer: `${common}
const server = http.createServer((req, res) => res.end('{"ok":true}')).listen(0, '127.0.0.1')
${measure}`,
  mandated: `${common}
import { join } from 'node:path'
import { Hono } from 'hono'
import { serve } from '@hono/node-server'
import Database from 'better-sqlite3'
import { createTLSchema } from '@tldraw/tlschema'
import { z } from 'zod'
const app = new Hono()
app.get('/x', (c) => c.json({ ok: true }))
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' })
const db = new Database(join(process.env.FLOOR_DIR, 'floor.db'))
db.pragma('journal_mode = WAL')
db.exec('CREATE TABLE IF NOT EXISTS t (a)')
db.prepare('INSERT INTO t VALUES (?)').run(1)
globalThis.keep.push(createTLSchema(), z.object({ a: z.string() }).parse({ a: 'x' }))
${measure}`,
}

const work = mkdtempSync(join(tmpdir(), 'keyplan-floor-'))
// Inside the repository (ignored by git), so that the external packages resolve from its node_modules.
const out = join(repoRoot, 'dist', 'memory-floor')
try {
  const input = {}
  for (const [name, source] of Object.entries(PROBES)) {
    const file = join(repoRoot, `.floor-${name}.mjs`) // inside the repository, so that packages resolve
    writeFileSync(file, source)
    input[name] = file
  }
  try {
    await build({
      configFile: false,
      root: repoRoot,
      logLevel: 'warn',
      publicDir: false,
      ssr: { target: 'node', noExternal: true, external: EXTERNAL },
      build: { ssr: true, outDir: out, emptyOutDir: true, target: 'node20', minify: false, rolldownOptions: { input, output: { entryFileNames: '[name].js' } } },
    })
  } finally {
    for (const file of Object.values(input)) rmSync(file, { force: true })
  }
  const results = { peer: [], mandated: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(PROBES)) {
      const printed = execFileSync(process.execPath, ['--expose-gc', join(out, `${name}.js`)], { env: { ...process.env, FLOOR_DIR: work }, encoding: 'utf8' })
      const reading = JSON.parse(printed.trim().split('\n').at(-1))
      results[name].push(reading)
      console.log(`round ${round + 1} ${name.padEnd(8)} RSS ${reading.rss.toFixed(1)} MB, young generation ${reading.young.toFixed(1)} MB, heap used ${reading.heap.toFixed(1)} MB`)
    }
  }
  const median = (values) => values.toSorted((a, b) => a - b)[Math.floor(values.length / 2)]
  for (const [name, readings] of Object.entries(results)) console.log(`median ${name.padEnd(8)} RSS ${median(readings.map((r) => r.rss)).toFixed(1)} MB (${Math.min(...readings.map((r) => r.rss)).toFixed(1)}–${Math.max(...readings.map((r) => r.rss)).toFixed(1)})`)
} finally {
  rmSync(work, { recursive: true, force: true })
  rmSync(out, { recursive: true, force: true })
}
