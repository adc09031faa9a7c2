// `node scripts/serverBundle.mjs <outDir>`: bundles the server (server/index.ts, with the shared
// code and the packages it imports) into <outDir>/server with Vite's SSR build (rolldown), for
// scripts/serverBuild.mjs. One bundle instead of one compiled file per module: Node's ESM loader
// keeps records for every module file for the process's life, and the packages' unused code is
// left out (docs/sync-server-targets.md, Memory, fourteenth session: −7 MB RSS with rooms).
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'vite'
import { repoRoot } from './distBuild.mjs'

const outDir = process.argv[2]
if (!outDir) throw new Error('usage: node scripts/serverBundle.mjs <outDir>')

/**
 * Packages left to Node's resolver at run time: better-sqlite3 loads its native addon relative to
 * its own files; pg, ioredis and pdf-lib load only when configured or used (a dynamic import of
 * PostgresStore, RedisLink or planPdf, each its own chunk), so a one-process SQLite server never
 * reads them; bufferutil and utf-8-validate are `ws`'s optional native helpers, used when installed.
 */
const EXTERNAL = ['better-sqlite3', 'pg', 'ioredis', 'pdf-lib', 'bufferutil', 'utf-8-validate']

await build({
  configFile: false, // vite.config.ts is the client's
  root: repoRoot,
  logLevel: 'warn',
  publicDir: false,
  ssr: { target: 'node', noExternal: true, external: EXTERNAL },
  build: {
    ssr: true,
    outDir,
    emptyOutDir: true,
    target: 'node20',
    minify: false,
    // Maps without the sources (they are in the checkout): small to read when a stack is printed.
    sourcemap: true,
    rolldownOptions: {
      input: { main: join(repoRoot, 'server', 'index.ts') },
      // Vite's client plugins (css, assets, workers) see every module and find nothing to do.
      checks: { pluginTimings: false },
      output: {
        entryFileNames: 'server/[name].js',
        chunkFileNames: 'server/[name]-[hash].js',
        sourcemapExcludeSources: true,
      },
    },
  },
})

// The entry that `npm start` and deployments run (dist/node/server/index.js, as before the bundle).
// Source maps are switched on before the bundle loads, so that a stack trace names server/…ts and
// the packages' files rather than lines of one large file; Node reads a map only for modules
// loaded after this.
writeFileSync(
  join(outDir, 'server', 'index.js'),
  `// Runs the bundled server (main.js) with stack traces mapped to the sources; built by scripts/serverBundle.mjs.
process.setSourceMapsEnabled(true)
await import('./main.js')
`,
)
