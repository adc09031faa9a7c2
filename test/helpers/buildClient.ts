import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildClient, isClientBuildFresh, repoRoot } from '../../scripts/clientBuild.mjs'
import { buildServer, isServerBuildFresh } from '../../scripts/serverBuild.mjs'

const lockDir = (name: string) => join(repoRoot, 'dist', `.${name}-build.lock`)
const WAIT_LIMIT_MS = 180_000

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** Takes the build lock (an atomic mkdir); clears a lock left by a process that died. */
function tryLock(name: string): boolean {
  const dir = lockDir(name)
  mkdirSync(join(repoRoot, 'dist'), { recursive: true })
  try {
    mkdirSync(dir)
    writeFileSync(join(dir, 'pid'), String(process.pid))
    return true
  } catch {
    let owner = Number.NaN
    try {
      owner = Number(readFileSync(join(dir, 'pid'), 'utf8'))
    } catch {
      // The owner has made the directory but not yet written its pid: treat it as alive.
      return false
    }
    if (Number.isInteger(owner) && !isAlive(owner)) rmSync(dir, { recursive: true, force: true })
    return false
  }
}

/** Runs `build` unless `isFresh`; across processes, one builds and the others wait for it. */
async function ensureBuilt(name: string, isFresh: () => boolean, build: () => number): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS
  while (!isFresh()) {
    if (tryLock(name)) {
      try {
        // Another process may have finished a build between our check and the lock.
        if (!isFresh() && build() !== 0) throw new Error(`building ${name} failed`)
      } finally {
        rmSync(lockDir(name), { recursive: true, force: true })
      }
      return
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for another process to build ${name}`)
    await sleep(500)
  }
}

/**
 * Makes sure dist/client holds a build of the current client sources. Several test files may
 * call this at once (vitest runs files in parallel): one builds, the others wait for it.
 */
export function ensureClientBuilt(): Promise<void> {
  return ensureBuilt('client', isClientBuildFresh, buildClient)
}

/** Makes sure dist/node holds the server compiled from the current sources; as {@link ensureClientBuilt}. */
export function ensureServerBuilt(): Promise<void> {
  return ensureBuilt('server', isServerBuildFresh, buildServer)
}
