/**
 * Runs the server as a child process, for tests that kill it: the bundle `npm start` runs
 * (`node dist/node/server/index.js`, built once per run), or, for a test that loads hooks into
 * the server's modules, the sources through tsx (`node --import tsx server/index.ts`), which the
 * hooks patch. The bundle starts in a quarter of the time on a loaded 2-core machine.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { serverEntry } from '../../scripts/serverBuild.mjs'
import { ensureServerBuilt } from './buildClient.ts'
import { TEST_ORG_KEY } from './startServer.ts'

const ROOT = path.resolve(import.meta.dirname, '../..')

export type ChildServer = {
  process: ChildProcess
  /** `http://127.0.0.1:PORT` */
  url: string
  syncUrl: string
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Everything the process wrote to stderr (its logs). */
  stderr(): string
}

/**
 * Spawns the server with `env` (PORT=0 and KEYPLAN_ORG_KEY={@link TEST_ORG_KEY} unless given) and
 * waits for its `listening on` line. `imports` are modules loaded before the server (paths from
 * the repository root, e.g. `test/helpers/killAfterCommit.ts`); with them, the server runs from
 * its sources.
 */
export async function startChildServer(env: Record<string, string>, options: { imports?: string[] } = {}): Promise<ChildServer> {
  const imports = (options.imports ?? []).flatMap((file) => ['--import', file])
  if (imports.length === 0) await ensureServerBuilt()
  const argv = imports.length === 0 ? [serverEntry] : ['--import', 'tsx', ...imports, 'server/index.ts']
  const child = spawn(process.execPath, argv, {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: TEST_ORG_KEY, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = ''
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1]) resolve(match[1])
    })
    void exited.then(({ code, signal }) => reject(new Error(`server exited (${code ?? signal}) before listening:\n${stderr}`)))
  })
  return { process: child, url, syncUrl: `${url.replace(/^http/, 'ws')}/sync`, exited, stderr: () => stderr }
}
