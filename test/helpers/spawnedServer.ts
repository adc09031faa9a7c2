/**
 * Runs a command that starts the server (`npm start`, `node scripts/start.mjs`, the compiled or
 * the TypeScript entry) as a child process and records its output, for tests of how the server
 * starts and stops.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { serverEntry } from '../../scripts/serverBuild.mjs'
import { ensureClientBuilt, ensureServerBuilt } from './buildClient.ts'

export const ROOT = path.resolve(import.meta.dirname, '../..')

export type Spawned = {
  process: ChildProcess
  stdout(): string
  stderr(): string
  /** The exit code (or signal) once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Resolves with the URL of the `listening on` line; rejects if the process exits first. */
  listening: Promise<string>
}

/** Spawns `command args` in the repository root with `env` added to this process's environment. */
export function spawnServer(command: string, args: string[], env: Record<string, string>): Spawned {
  // Its own process group, so that `killGroup` can clean up everything it started.
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }))
  })
  const listening = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(stdout)
      if (match?.[1]) resolve(match[1])
    })
    void exited.then(({ code, signal }) => reject(new Error(`exited (${code ?? signal}) before listening:\n${stderr}`)))
  })
  listening.catch(() => {}) // tests of failed starts never await it
  return { process: child, stdout: () => stdout, stderr: () => stderr, exited, listening }
}

/** Spawns the bundled server `npm start` runs (`dist/node/server/index.js`; build it first) with `env` added. */
export const spawnBundledServer = (env: Record<string, string>): Spawned => spawnServer(process.execPath, [serverEntry], env)

/** Builds dist/client and dist/node if they are stale, so `npm start` in a test does not build. */
export async function ensureBuilt(): Promise<void> {
  await ensureClientBuilt()
  await ensureServerBuilt()
}

/** True when nothing accepts connections at `url` any more. */
export async function refusesConnections(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/api/health`)
    return false
  } catch {
    return true
  }
}

/** SIGKILLs the process group of `spawned` (npm, the start script, the server), if any is left. */
export function killGroup(spawned: Spawned | undefined): void {
  if (spawned?.process.pid === undefined) return
  try {
    process.kill(-spawned.process.pid, 'SIGKILL')
  } catch {
    // The group is already gone.
  }
}
