// Whether dist/client is up to date with the client sources, and how to rebuild it. Shared by
// `npm start` (scripts/start.mjs) and the end-to-end tests (test/helpers/buildClient.ts).
import { join } from 'node:path'
import { buildIntoDist, isBuildFresh, repoRoot } from './distBuild.mjs'

export { repoRoot }

/** Everything the client build reads: a change in any of these makes the build stale. */
const CLIENT_INPUTS = ['client', 'shared', 'vite.config.ts', 'package.json', 'package-lock.json']

/** True when dist/client/index.html exists and is newer than every client input. */
export function isClientBuildFresh() {
  return isBuildFresh(join(repoRoot, 'dist', 'client', 'index.html'), CLIENT_INPUTS)
}

/** Runs `vite build` in a child process (atomically replacing dist/client); returns its exit code. */
export function buildClient() {
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js')
  // Under vitest NODE_ENV is `test`, which would bundle React's development build.
  return buildIntoDist('client', [vite, 'build', '--emptyOutDir', '--outDir'], { ...process.env, NODE_ENV: 'production' })
}
