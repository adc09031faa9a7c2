// What the client and the server builds share: whether a build in dist/ is newer than its inputs,
// and building into a side directory that then replaces the old build in two renames, so a
// server using the old build never sees a half-written directory.
import { spawnSync } from 'node:child_process'
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The newest modification time of `path` or anything under it (0 when it is missing). */
function newestMtime(path) {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return 0
  }
  if (!stat.isDirectory()) return stat.mtimeMs
  let newest = stat.mtimeMs
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)))
  return newest
}

/** True when `marker` (a file the build writes) exists and is newer than every input (paths under the root). */
export function isBuildFresh(marker, inputs) {
  let builtAt
  try {
    builtAt = statSync(marker).mtimeMs
  } catch {
    return false
  }
  return inputs.every((input) => newestMtime(join(repoRoot, input)) <= builtAt)
}

/**
 * Runs `node <args…> <outDir>` (the command's last argument is the output directory) into
 * dist/<name>.next-<pid>, then swaps it in as dist/<name>. Returns the command's exit code.
 */
export function buildIntoDist(name, args, env = process.env) {
  const dist = join(repoRoot, 'dist')
  const next = join(dist, `${name}.next-${process.pid}`)
  const old = join(dist, `${name}.old-${process.pid}`)
  const result = spawnSync(process.execPath, [...args, next], { cwd: repoRoot, stdio: 'inherit', env })
  const status = result.status ?? 1
  if (status !== 0) {
    rmSync(next, { recursive: true, force: true })
    return status
  }
  const current = join(dist, name)
  let hadBuild = true
  try {
    renameSync(current, old)
  } catch {
    hadBuild = false
  }
  renameSync(next, current)
  if (hadBuild) rmSync(old, { recursive: true, force: true })
  return 0
}
