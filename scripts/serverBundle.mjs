// `node scripts/serverBundle.mjs <outDir>`: bundles the server (server/index.ts, with the shared
// code and the packages it imports) into <outDir>/server with Vite's SSR build (rolldown), for
// scripts/serverBuild.mjs. One bundle instead of one compiled file per module: Node's ESM loader
// keeps records for every module file for the process's life, and the packages' unused code is
// left out (docs/sync-server-targets.md, Memory, fourteenth session: −7 MB RSS with rooms).
// pino is bundled too: the server logs through `pino.destination` (synchronous, no worker); a pino
// transport (a worker that thread-stream starts from its own files) would need pino external.
import { join } from 'node:path'
import { build } from 'vite'
import { repoRoot } from './distBuild.mjs'

const outDir = process.argv[2]
if (!outDir) throw new Error('usage: node scripts/serverBundle.mjs <outDir>')

/**
 * Packages left to Node's resolver at run time: better-sqlite3 loads its native addon relative to
 * its own files; pg, ioredis and pdf-lib load only when configured or used (a dynamic import of
 * PostgresStore, RedisLink or planPdf, each its own chunk), so a one-process SQLite server never
 * reads them, and @pdf-lib/fontkit only with a PDF whose text needs the embedded font; bufferutil and utf-8-validate are `ws`'s optional native helpers, used when installed.
 * Yjs, lib0 and y-protocols stay Node's own modules too: bundled, the relay's fan-out cost +26 % CPU
 * in the garbage collector (each scavenge ~2.3× longer, objects promoted that the per-file build
 * lets die; cause not found, fourteenth session); loaded from node_modules they cost as before,
 * and Yjs is still one copy, the one every importer resolves to.
 */
const EXTERNAL = ['better-sqlite3', 'pg', 'ioredis', 'pdf-lib', '@pdf-lib/fontkit', 'bufferutil', 'utf-8-validate', 'yjs', 'lib0', 'y-protocols']

/**
 * Bundles `entry` (server/<name>.ts) into <outDir>/server/<name>.js, with its own chunks: each
 * entry is built alone, so the server stays one file (its lazy chunks apart) whatever else is built.
 */
async function bundle(name, { emptyOutDir }) {
  await build({
    configFile: false, // vite.config.ts is the client's
    root: repoRoot,
    logLevel: 'warn',
    publicDir: false,
    ssr: { target: 'node', noExternal: true, external: EXTERNAL },
    build: {
      ssr: true,
      outDir,
      emptyOutDir,
      target: 'node20',
      minify: false,
      // Maps without the sources (they are in the checkout), read only with `--enable-source-maps`:
      // Node then keeps every map parsed for the process's life, ~3 MB of RSS (fourteenth session),
      // for stack traces that name server/…ts; without it they name the bundle's lines, and the
      // functions, as before, by their own names (no minifying).
      sourcemap: true,
      rolldownOptions: {
        input: { [name]: join(repoRoot, 'server', `${name}.ts`) },
        // Vite's client plugins (css, assets, workers) see every module and find nothing to do.
        checks: { pluginTimings: false },
        output: {
          entryFileNames: 'server/[name].js',
          chunkFileNames: name === 'index' ? 'server/[name]-[hash].js' : `server/${name}-[name]-[hash].js`,
          sourcemapExcludeSources: true,
        },
      },
    },
  })
}

// dist/node/server/index.js, the path `npm start` and deployments ran before the bundle.
await bundle('index', { emptyOutDir: true })
// `npm run copy-to-postgres` (deploy/README.md), a one-off beside the server.
await bundle('copyToPostgres', { emptyOutDir: false })
