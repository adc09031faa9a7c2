import react from '@vitejs/plugin-react'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'
import { defineConfig } from 'vitest/config'

/**
 * tldraw's rich-text helpers get `@tiptap/core` with a schema cache (`client/board/tiptapWithCachedSchema.ts`):
 * without it, every new note label rebuilds the same TipTap schema (issue 14, docs/upstream-reports.md).
 * Only that tldraw module is redirected; everything else, the shim included, gets `@tiptap/core` itself.
 */
function cachedTipTapSchema(): Plugin {
  const shim = fileURLToPath(new URL('./client/board/tiptapWithCachedSchema.ts', import.meta.url))
  return {
    name: 'keyplan-cached-tiptap-schema',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === '@tiptap/core' && importer?.replaceAll('\\', '/').includes('/tldraw/dist-esm/lib/utils/text/richText.')) return shim
      return null
    },
  }
}

// One config for the client build (vite) and the test runner (vitest).
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [react(), cachedTipTapSchema()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    chunkSizeWarningLimit: 4000,
  },
  // @tldraw/assets ships files imported by URL; pre-bundling it breaks those URLs in dev.
  optimizeDeps: { exclude: ['@tldraw/assets'] },
  // `npm run dev`: Vite serves the client with hot reload and forwards the API and sync to the
  // server on 8787. Keys are regexes so that the client's own module `/api.ts` is not proxied.
  server: {
    proxy: {
      '^/api/': 'http://127.0.0.1:8787',
      '^/sync/': { target: 'ws://127.0.0.1:8787', ws: true },
    },
  },
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and child-process tests are heavy on a 2-core machine.
    maxWorkers: 2,
  },
})
