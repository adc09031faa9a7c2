import react from '@vitejs/plugin-react'
import { defineConfig } from 'vitest/config'

// One config for the client build (vite) and the test runner (vitest).
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [react()],
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
