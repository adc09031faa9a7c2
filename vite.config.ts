import react from '@vitejs/plugin-react'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { transformWithOxc, type Plugin } from 'vite'
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

/**
 * tldraw's `Shape` component gets a memo comparison that ignores a new record object when its type,
 * `props` and `meta` are unchanged (`client/board/shapeRenderMemo.ts`): tldraw positions shapes from
 * a reactor, yet re-rendered every moved shape's wrapper (issue 14, docs/upstream-reports.md). The
 * build fails if tldraw's module no longer has the expected shape, so an upgrade cannot drop it silently.
 */
export function shapeRendersOnContent(): Plugin {
  const compare = fileURLToPath(new URL('./client/board/shapeRenderMemo.ts', import.meta.url))
  const end = '\n});\nconst ContentElementSlot = memo('
  return {
    name: 'keyplan-shape-renders-on-content',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').includes('/@tldraw/editor/dist-esm/lib/components/Shape.mjs')) return null
      if (!code.includes('const Shape = memo(function Shape2(') || code.split(end).length !== 2) {
        throw new Error('@tldraw/editor Shape.mjs changed: review client/board/shapeRenderMemo.ts and its plugin')
      }
      const patched = code.replace(end, '\n}, shapeRenderUnchanged);\nconst ContentElementSlot = memo(')
      return { code: `import { shapeRenderUnchanged } from ${JSON.stringify(compare)};\n${patched}`, map: null }
    },
  }
}

/**
 * tldraw's `Shape` reactor that places a shape's element (transform, size, clip path) stops at a
 * culled shape, and tldraw's culling has it place the shape when it shows it again
 * (`client/board/culledShapePlacement.ts`): a teammate's move of 1,000 shapes off screen
 * re-derived and wrote every hidden element's placement, about half of tldraw's reaction to the
 * move (issue 14, docs/upstream-reports.md). The build fails if tldraw's modules no longer have the
 * expected shape, so an upgrade cannot drop it silently.
 */
export function culledShapesPlacedWhenShown(): Plugin {
  const helper = JSON.stringify(fileURLToPath(new URL('./client/board/culledShapePlacement.ts', import.meta.url)))
  const reactor = '  useQuickReactor(\n    "set shape stuff",\n    () => {\n      const shape2 = editor.getShape(id);\n      if (!shape2) return;\n'
  const flip = '        entry.isCulled = shouldBeCulled;\n'
  const changed = (file: string) => new Error(`@tldraw/editor ${file} changed: review client/board/culledShapePlacement.ts and its plugin`)
  return {
    name: 'keyplan-culled-shapes-placed-when-shown',
    transform(code, id) {
      const path = id.replaceAll('\\', '/')
      if (path.includes('/@tldraw/editor/dist-esm/lib/components/Shape.mjs')) {
        if (code.split(reactor).length !== 2) throw changed('Shape.mjs')
        const patched = code.replace(
          reactor,
          '  useQuickReactor(\n    "set shape stuff",\n    () => {\n      keyplanShownSignal(containerRef.current)?.get();\n      const shape2 = editor.getShape(id);\n      if (!shape2) return;\n      if (keyplanIsCulled(editor, id)) return;\n',
        )
        return { code: `import { shownSignal as keyplanShownSignal, isCulled as keyplanIsCulled } from ${helper};\n${patched}`, map: null }
      }
      if (path.includes('/@tldraw/editor/dist-esm/lib/hooks/useShapeCulling.mjs')) {
        if (code.split(flip).length !== 2) throw changed('useShapeCulling.mjs')
        const patched = code.replace(flip, `${flip}        if (!shouldBeCulled) keyplanMarkShown(entry.container);\n`)
        return { code: `import { markShown as keyplanMarkShown } from ${helper};\n${patched}`, map: null }
      }
      return null
    },
  }
}

/**
 * tldraw's `useValue` hands React a snapshot that is current: its `getSnapshot` brings the value up
 * to date before reading its epoch. As shipped it read the epoch of a value never computed yet (-1)
 * while rendering, then the computed one once React subscribed, so React rendered every component
 * that mounts with a `useValue` a second time, with nothing changed: each new shape of a remote
 * batch rendered twice (its body, its label), ~15 % of what a batch allocates (issue 14,
 * docs/upstream-reports.md). The build fails if tldraw's module no longer has the expected line.
 */
export function useValueSnapshotsCurrent(): Plugin {
  const line = 'getSnapshot: () => $val2.lastChangedEpoch'
  return {
    name: 'keyplan-use-value-snapshots-current',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').includes('/@tldraw/state-react/dist-esm/lib/useValue.mjs')) return null
      if (code.split(line).length !== 2) throw new Error('@tldraw/state-react useValue.mjs changed: review the useValueSnapshotsCurrent plugin')
      // `true`: a value that throws throws from the component's own read, as before, not from React's.
      return { code: code.replace(line, 'getSnapshot: () => ($val2.__unsafe__getWithoutCapture(true), $val2.lastChangedEpoch)'), map: null }
    },
  }
}

/**
 * tldraw's store compares each changed record's two versions with `recordsEqual`
 * (`client/board/recordsEqual.ts`), as lodash's `isEqual` would but stopping at the first differing
 * top-level value: lodash's general walk of every record was ~10 % of tldraw's store change for
 * 1,000 remote moves in the page's profile (issue 14, docs/upstream-reports.md). The build fails if tldraw's module no
 * longer has the expected line.
 */
export function recordChangesComparedCheaply(): Plugin {
  const helper = JSON.stringify(fileURLToPath(new URL('./client/board/recordsEqual.ts', import.meta.url)))
  const line = '        if (before && after && before !== after && !isEqual(before, after)) {\n'
  return {
    name: 'keyplan-record-changes-compared-cheaply',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').includes('/@tldraw/store/dist-esm/lib/Store.mjs')) return null
      if (code.split(line).length !== 2) throw new Error('@tldraw/store Store.mjs changed: review client/board/recordsEqual.ts and its plugin')
      const patched = code.replace(line, '        if (before && after && before !== after && !keyplanRecordsEqual(before, after)) {\n')
      return { code: `import { recordsEqual as keyplanRecordsEqual } from ${helper};\n${patched}`, map: null }
    },
  }
}

/**
 * tldraw's spatial index takes a shape whose change only moved it (same page parent, rotation,
 * `props` and `meta`) at its indexed bounds shifted by the move (`client/board/movedShapeBounds.ts`)
 * instead of deriving its page transform, geometry and page bounds: for 1,000 shapes a teammate
 * moved off screen that derivation was the largest part of tldraw's store change, and nothing else
 * asks for it while they are hidden (issue 14, docs/upstream-reports.md). The build fails if
 * tldraw's module no longer has the expected lines.
 */
export function movedShapesIndexedByOffset(): Plugin {
  const helper = JSON.stringify(fileURLToPath(new URL('./client/board/movedShapeBounds.ts', import.meta.url)))
  const edits: Array<[string, string]> = [
    ['    for (const changes of shapeDiff) {\n', '    const keyplanMoves = new Map();\n    for (const changes of shapeDiff) {\n'],
    ['      for (const shape of objectMapValues(changes.added)) {\n        if (!isShape(shape)) continue;\n', '      for (const shape of objectMapValues(changes.added)) {\n        if (!isShape(shape)) continue;\n        keyplanMoves.set(shape.id, null);\n'],
    ['      for (const shape of objectMapValues(changes.removed)) {\n        if (!isShape(shape)) continue;\n', '      for (const shape of objectMapValues(changes.removed)) {\n        if (!isShape(shape)) continue;\n        keyplanMoves.set(shape.id, null);\n'],
    [
      '        if (!isShape(to)) continue;\n        transformChanged.add(to.id);\n        markDirty(to.id);\n',
      '        if (!isShape(to)) continue;\n        transformChanged.add(to.id);\n        markDirty(to.id);\n        keyplanNoteMove(keyplanMoves, from, to);\n',
    ],
    [
      '      const bounds = this.editor.getShapePageBounds(id);\n',
      '      const keyplanMoved = keyplanMovedBounds(this.editor, keyplanMoves, id, indexedElement);\n      if (keyplanMoved) {\n        pendingRemoves.delete(id);\n        pendingUpserts.push(keyplanMoved);\n        continue;\n      }\n      const bounds = this.editor.getShapePageBounds(id);\n',
    ],
  ]
  return {
    name: 'keyplan-moved-shapes-indexed-by-offset',
    transform(code, id) {
      if (!id.replaceAll('\\', '/').includes('/@tldraw/editor/dist-esm/lib/editor/managers/SpatialIndexManager/SpatialIndexManager.mjs')) return null
      let patched = code
      for (const [from, to] of edits) {
        if (patched.split(from).length !== 2) throw new Error('@tldraw/editor SpatialIndexManager.mjs changed: review client/board/movedShapeBounds.ts and its plugin')
        patched = patched.replace(from, to)
      }
      return { code: `import { noteMove as keyplanNoteMove, movedBounds as keyplanMovedBounds } from ${helper};\n${patched}`, map: null }
    },
  }
}

/**
 * Emits `/sw.js`, the offline app shell (client/offline/serviceWorker.ts): the worker's TypeScript
 * with the list of files to keep (the page and every asset but tldraw's translations, which are
 * kept when first used) and a version that changes with them.
 */
function serviceWorker(): Plugin {
  const source = fileURLToPath(new URL('./client/offline/serviceWorker.ts', import.meta.url))
  return {
    name: 'keyplan-service-worker',
    apply: 'build',
    async generateBundle(_options, bundle) {
      const files = Object.keys(bundle)
        .filter((name) => name !== 'index.html' && !name.endsWith('.json') && !name.endsWith('.map'))
        .sort()
      const { code } = await transformWithOxc(readFileSync(source, 'utf8'), source, { lang: 'ts' })
      // A classic worker script, so no module syntax may remain.
      const body = code.replace(/^export \{\s*\};?\s*$/m, '')
      const version = createHash('sha256').update(files.join('\n')).update(body).digest('hex').slice(0, 16)
      const precache = ['/index.html', ...files.map((name) => `/${name}`)]
      this.emitFile({
        type: 'asset',
        fileName: 'sw.js',
        source: `const PRECACHE = ${JSON.stringify(precache)};\nconst VERSION = ${JSON.stringify(version)};\n${body}`,
      })
    },
  }
}

/** Test files that measure their own process (modules loaded, schemas built, timers or objects held). */
const ISOLATED_TESTS = [
  'test/unit/server-modules-share-one-tldraw-schema.test.ts',
  'test/unit/connection-rate-limits-make-no-functions.test.ts',
  'test/unit/connections-share-one-ping-timer.test.ts',
  'test/unit/sessions-of-one-expiry-share-one-timer.test.ts',
  'test/unit/links-and-named-index-made-from-last-equal-fresh.test.ts',
  'test/integration/booting-builds-no-route-schemas.test.ts',
  'test/integration/built-server-loads-one-bundle.test.ts',
  'test/integration/open-sync-socket-keeps-no-upgrade-url.test.ts',
]

// One config for the client build (vite) and the test runner (vitest).
export default defineConfig({
  root: 'client',
  publicDir: false,
  plugins: [react(), cachedTipTapSchema(), shapeRendersOnContent(), culledShapesPlacedWhenShown(), useValueSnapshotsCurrent(), recordChangesComparedCheaply(), movedShapesIndexedByOffset(), serviceWorker()],
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
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser and child-process tests are heavy on a 2-core machine.
    maxWorkers: 2,
    projects: [
      // Each worker process runs its files one after another on one module graph: importing the
      // server and tldraw once per worker rather than once per file saves minutes a run. Every
      // file starts its own servers, stores and browsers, and closes them after itself.
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED_TESTS, isolate: false } },
      // Files that count what the process has loaded, built or holds get a fresh process each.
      { extends: true, test: { name: 'isolated', include: ISOLATED_TESTS, isolate: true } },
    ],
  },
})
