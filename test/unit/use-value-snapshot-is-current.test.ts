/**
 * tldraw's `useValue` gives React a snapshot taken after bringing its value up to date, so a
 * component does not render a second time right after mounting (issue 14; the behaviour is checked
 * in Chromium by `test/e2e/remote-new-shapes-render-once.test.ts`). The patch reaches tldraw
 * through the `useValueSnapshotsCurrent` build plugin, checked here against the installed
 * `@tldraw/state-react`.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import config, { useValueSnapshotsCurrent } from '../../vite.config.ts'

type Transform = (code: string, id: string) => { code: string } | null // an object-less transform hook

describe('useValue snapshots', () => {
  it('are taken after the value is brought up to date, in the installed tldraw', () => {
    const file = fileURLToPath(new URL('../../node_modules/@tldraw/state-react/dist-esm/lib/useValue.mjs', import.meta.url))
    const plugin = useValueSnapshotsCurrent()
    const out = (plugin.transform as Transform)(readFileSync(file, 'utf8'), file)
    expect(out?.code).toContain('getSnapshot: () => ($val2.__unsafe__getWithoutCapture(true), $val2.lastChangedEpoch)')
    const names = (config.plugins ?? []).flat().map((p) => (p && typeof p === 'object' && 'name' in p ? p.name : null))
    expect(names).toContain(plugin.name)
  })

  it('fail the build when tldraw’s module changed', () => {
    const transform = useValueSnapshotsCurrent().transform as Transform
    expect(() => transform('export function useValue() {}', '/x/node_modules/@tldraw/state-react/dist-esm/lib/useValue.mjs')).toThrow(/changed/)
  })
})
