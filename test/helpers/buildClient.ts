import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildClient, isClientBuildFresh, repoRoot } from '../../scripts/clientBuild.mjs'

const LOCK_DIR = join(repoRoot, 'dist', '.client-build.lock')
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
function tryLock(): boolean {
  mkdirSync(join(repoRoot, 'dist'), { recursive: true })
  try {
    mkdirSync(LOCK_DIR)
    writeFileSync(join(LOCK_DIR, 'pid'), String(process.pid))
    return true
  } catch {
    let owner = Number.NaN
    try {
      owner = Number(readFileSync(join(LOCK_DIR, 'pid'), 'utf8'))
    } catch {
      // The owner has made the directory but not yet written its pid: treat it as alive.
      return false
    }
    if (Number.isInteger(owner) && !isAlive(owner)) rmSync(LOCK_DIR, { recursive: true, force: true })
    return false
  }
}

/**
 * Makes sure dist/client holds a build of the current client sources. Several test files may
 * call this at once (vitest runs files in parallel): one builds, the others wait for it.
 */
export async function ensureClientBuilt(): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS
  while (!isClientBuildFresh()) {
    if (tryLock()) {
      try {
        // Another process may have finished a build between our check and the lock.
        if (!isClientBuildFresh() && buildClient() !== 0) throw new Error('vite build failed')
      } finally {
        rmSync(LOCK_DIR, { recursive: true, force: true })
      }
      return
    }
    if (Date.now() > deadline) throw new Error('Timed out waiting for another process to build the client')
    await sleep(500)
  }
}
