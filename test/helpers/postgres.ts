/**
 * A real PostgreSQL cluster for one test file: `initdb` in a temp dir, `pg_ctl start` on a free
 * port on 127.0.0.1, a fresh database per test, stopped and removed afterwards. PostgreSQL refuses
 * to run as root, so as root the binaries run as the `postgres` user (`runuser`).
 *
 * The cluster runs with `fsync = off`: what the tests kill is Keyplan's process, never the
 * machine, and on a shared 2-core machine the fsyncs would only slow them down. The benchmark
 * (`bench/suites/store.ts`) measures with PostgreSQL's defaults.
 *
 * @example
 * ```ts
 * let postgres: PostgresCluster
 * beforeAll(async () => { postgres = await startPostgres() }, POSTGRES_START_TIMEOUT_MS)
 * afterAll(() => postgres?.stop())
 * test('...', async () => { const store = await PostgresStore.open(await postgres.createDatabase()) })
 * ```
 */
import { execFile, execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

/** Timeout for `beforeAll` hooks that start a cluster: initdb and start take seconds on a loaded machine. */
export const POSTGRES_START_TIMEOUT_MS = 180_000

export type PostgresCluster = {
  /** TCP port on 127.0.0.1. */
  port: number
  /** URL of `database` on this cluster (user `postgres`, trust authentication). */
  url(database: string): string
  /** Creates an empty database with a new name and returns its URL. */
  createDatabase(): Promise<string>
  /** Stops the cluster (fast shutdown) and removes its directory. */
  stop(): Promise<void>
}

export type PostgresOptions = {
  /** Extra server settings (`-c name=value`), e.g. `{ fsync: 'on' }`. */
  settings?: Record<string, string>
}

/** Directory of `initdb` and `pg_ctl`: the newest /usr/lib/postgresql/<major>/bin, or PATH. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql'
  const majors = fs.existsSync(root) ? fs.readdirSync(root).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a)) : []
  for (const major of majors) {
    const bin = path.join(root, major, 'bin')
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir
  }
  return undefined
}

const asRoot = process.getuid?.() === 0

/** The command line that runs a PostgreSQL binary, as `postgres` when we are root. */
function pgCommand(bin: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args]
}

async function pgRun(bin: string, args: string[]): Promise<string> {
  const [file, argv] = pgCommand(bin, args)
  try {
    const { stdout } = await run(file, argv, { encoding: 'utf8' })
    return stdout
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr) : ''
    throw new Error(`${path.basename(bin)} ${args.join(' ')} failed: ${String(error)}\n${detail}`)
  }
}

/** A port that was free a moment ago (the caller retries if it is taken by then). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

let databases = 0

/** Initialises and starts a cluster; see the module comment. */
export async function startPostgres(options: PostgresOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir()
  if (!bin) throw new Error('PostgreSQL binaries not found (apt-get install postgresql)')
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyplan-pg-'))
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim())
    fs.chownSync(dir, uid, gid)
  }
  const dataDir = path.join(dir, 'data')
  await pgRun(path.join(bin, 'initdb'), ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-locale', '--no-sync'])
  const settings = { listen_addresses: '127.0.0.1', fsync: 'off', ...options.settings }
  let port = 0
  for (let attempt = 1; ; attempt++) {
    port = await freePort()
    const serverOptions = [`-p ${port}`, `-k ${dir}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ')
    try {
      await pgRun(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-l', path.join(dir, 'server.log'), '-o', serverOptions, '-w', '-t', '150', 'start'])
      break
    } catch (error) {
      // Another process may have taken the port in between: try another one.
      if (attempt >= 3) throw new Error(`${String(error)}\n${fs.readFileSync(path.join(dir, 'server.log'), 'utf8')}`)
    }
  }
  const stopNow = () => {
    // The test process is exiting without afterAll (a crash): do not leave a server behind.
    try {
      const [file, argv] = pgCommand(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop'])
      execFileSync(file, argv, { stdio: 'ignore' })
    } catch {
      // Already stopped.
    }
  }
  process.once('exit', stopNow)
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`
  return {
    port,
    url,
    async createDatabase() {
      const name = `keyplan_${process.pid}_${++databases}`
      const admin = new pg.Client({ connectionString: url('postgres') })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE ${name}`)
      } finally {
        await admin.end()
      }
      return url(name)
    },
    async stop() {
      process.off('exit', stopNow)
      await pgRun(path.join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', '-t', '120', 'stop']).catch(() => stopNow())
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
