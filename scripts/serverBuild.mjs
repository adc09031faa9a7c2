// Whether dist/node (the server bundled into JavaScript) is up to date with its sources, and how
// to rebuild it. `npm start` runs the bundled server on plain Node: no TypeScript loader in the
// process (~35 MB less memory, one thread fewer, a faster start), and one module file with its
// lazily loaded chunks rather than one per source file (scripts/serverBundle.mjs). Shared by
// scripts/start.mjs, the bench and the tests that start the built server.
import { join } from 'node:path'
import { buildIntoDist, isBuildFresh, repoRoot } from './distBuild.mjs'

/** Everything the server build reads: a change in any of these makes the build stale. */
const SERVER_INPUTS = ['server', 'shared', 'scripts/serverBundle.mjs', 'tsconfig.json', 'package.json', 'package-lock.json']

/** The built entry point: `server/index.ts` bundled (its lazily loaded chunks beside it). */
export const serverEntry = join(repoRoot, 'dist', 'node', 'server', 'index.js')

/** True when dist/node holds a build newer than every server input. */
export function isServerBuildFresh() {
  return isBuildFresh(serverEntry, SERVER_INPUTS)
}

/** Bundles the server (scripts/serverBundle.mjs, vite) into dist/node; returns the build's exit code. */
export function buildServer() {
  return buildIntoDist('node', [join(repoRoot, 'scripts', 'serverBundle.mjs')])
}
