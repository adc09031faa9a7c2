/**
 * A real `redis-server` for one test file: a free port on 127.0.0.1, no persistence
 * (`--save "" --appendonly no`), stopped afterwards. `kill()` takes it away at once (SIGKILL) to
 * test an outage; start another on the same `port` with `startRedis({ port })` to bring it back.
 *
 * @example
 * ```ts
 * let redis: Awaited<ReturnType<typeof startRedis>>
 * beforeAll(async () => { redis = await startRedis() })
 * afterAll(() => redis?.stop())
 * ```
 */
import { spawn } from 'node:child_process'
import { freePort } from './postgres.ts'

export type RedisServer = { url: string; port: number; stop(): Promise<void>; kill(): void }

/** Starts `redis-server` and resolves once it accepts connections. */
export async function startRedis(options: { port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort())
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('Ready to accept connections')) resolve()
    }
    child.stdout.on('data', onData)
    child.stderr.on('data', onData)
    child.once('error', reject)
    void exited.then(() => reject(new Error(`redis-server exited before it was ready:\n${output}`)))
  })
  const killNow = () => child.kill('SIGKILL')
  // The test process exiting without afterAll (a crash) must not leave a server behind.
  process.once('exit', killNow)
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      process.off('exit', killNow)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
      await exited
    },
    kill() {
      process.off('exit', killNow)
      killNow()
    },
  }
}
