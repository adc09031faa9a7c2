/**
 * A real Redis for one test file: `redis-server --port N --save "" --appendonly no` on a free
 * port on 127.0.0.1, nothing written to disk. Tests can kill it mid-session and start it again on
 * the same port, as an outage looks to the instances.
 *
 * @example
 * ```ts
 * let redis: RedisServer
 * beforeAll(async () => { redis = await startRedis() })
 * afterAll(() => redis?.stop())
 * ```
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { freePort } from './postgres.ts'

export type RedisServer = {
  port: number
  /** `redis://127.0.0.1:PORT` */
  url: string
  /** The running server's process id (for CPU readings), undefined while it is down. */
  pid(): number | undefined
  /** SIGKILLs the server (an outage); resolves once it is gone. */
  kill(): Promise<void>
  /** Starts it again on the same port (empty: it never saved anything). */
  restart(): Promise<void>
  /** Stops it for good. */
  stop(): Promise<void>
}

function launch(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) resolve(child)
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)))
    child.once('error', reject)
  })
}

/** Starts a Redis server on a free port; see the module comment. */
export async function startRedis(): Promise<RedisServer> {
  let port = 0
  let child: ChildProcess | undefined
  for (let attempt = 1; child === undefined; attempt++) {
    port = await freePort()
    try {
      child = await launch(port)
    } catch (error) {
      // The port may have been taken in between.
      if (attempt >= 3) throw error
    }
  }
  const killNow = () => child?.kill('SIGKILL')
  process.once('exit', killNow)
  const kill = async () => {
    const current = child
    child = undefined
    if (!current || current.exitCode !== null || current.signalCode !== null) return
    const gone = new Promise((resolve) => current.once('exit', resolve))
    current.kill('SIGKILL')
    await gone
  }
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    pid: () => child?.pid,
    kill,
    async restart() {
      await kill()
      child = await launch(port)
    },
    async stop() {
      process.off('exit', killNow)
      await kill()
    },
  }
}
