// Whether dist/node (the server compiled to JavaScript) is up to date with its sources, and how
// to rebuild it. `npm start` runs the compiled server on plain Node: no TypeScript loader in the
// process (~35 MB less memory, one thread fewer, a faster start). Shared by scripts/start.mjs,
// the bench and the test that starts the compiled server.
import { join } from 'node:path'
import { buildIntoDist, isBuildFresh, repoRoot } from './distBuild.mjs'

/** Everything the server build reads: a change in any of these makes the build stale. */
const SERVER_INPUTS = ['server', 'shared', 'tsconfig.json', 'package.json', 'package-lock.json']

/** The compiled entry point (`server/index.ts` as JavaScript). */
export const serverEntry = join(repoRoot, 'dist', 'node', 'server', 'index.js')

/**
 * Node flags the compiled server runs with (`npm start`, the bench, deploy/README's unit): V8's
 * young generation capped at 2 × 4 MB. By default V8 doubles it after each scavenge that promotes
 * more than its size, up to 2 × 16 MB, and start-up, workshop creation and room loads all make data
 * that lives on, so a server reached that maximum within seconds and kept it while clients were
 * connected: ~20 MB of RSS (docs/sync-server-targets.md, Memory). The price, measured once on a
 * quiet machine: ~5 % more server CPU per relayed update (a 1 MB cap cost ~18 %).
 */
export const serverNodeFlags = ['--max-semi-space-size=4']

/** True when dist/node holds a build newer than every server input. */
export function isServerBuildFresh() {
  return isBuildFresh(serverEntry, SERVER_INPUTS)
}

/** Compiles server/ and shared/ (`server/tsconfig.build.json`) into dist/node; returns tsc's exit code. */
export function buildServer() {
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc')
  return buildIntoDist('node', [tsc, '-p', join(repoRoot, 'server', 'tsconfig.build.json'), '--outDir'])
}
