// Whether dist/client is up to date with the client sources, and how to rebuild it. Shared by
// `npm start` (scripts/start.mjs) and the end-to-end tests (test/helpers/buildClient.ts).
import { spawnSync } from 'node:child_process'
import { readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Everything the client build reads: a change in any of these makes the build stale. */
const CLIENT_INPUTS = ['client', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json']

/** The newest modification time of `path` or anything under it (0 when it is missing). */
export function newestMtime(path) {
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

/** True when dist/client/index.html exists and is newer than every client input. */
export function isClientBuildFresh() {
  let builtAt
  try {
    builtAt = statSync(join(repoRoot, 'dist', 'client', 'index.html')).mtimeMs
  } catch {
    return false
  }
  return CLIENT_INPUTS.every((input) => newestMtime(join(repoRoot, input)) <= builtAt)
}

/**
 * Runs `vite build` in a child process and returns its exit code. The build goes to a side
 * directory that then replaces dist/client in two renames, so a server serving the old build
 * (another test file, `npm start`) never sees a half-written directory.
 */
export function buildClient() {
  const dist = join(repoRoot, 'dist')
  const next = join(dist, `client.next-${process.pid}`)
  const old = join(dist, `client.old-${process.pid}`)
  const result = spawnSync(
    process.execPath,
    [join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--outDir', next, '--emptyOutDir'],
    {
      cwd: repoRoot,
      stdio: 'inherit',
      // Under vitest NODE_ENV is `test`, which would bundle React's development build.
      env: { ...process.env, NODE_ENV: 'production' },
    },
  )
  const status = result.status ?? 1
  if (status !== 0) {
    rmSync(next, { recursive: true, force: true })
    return status
  }
  const current = join(dist, 'client')
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
