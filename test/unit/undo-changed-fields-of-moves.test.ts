/**
 * The own-undo ledger's `changedFields` (client/board/ownUndo.ts) answers the same fields for a
 * move, found without flattening (issue 14: ~1,000 remote moves at a time), as for any other
 * change: the fields of the record log (`x`, `props.color`), compared here with a plain
 * flatten-and-compare over seeded random versions. Seeded; the seed is printed.
 */
import { describe, expect, test } from 'vitest'
import { changedFields } from '../../client/board/ownUndo.ts'

const SEED = 20261205
console.log(`undo-changed-fields seed ${SEED}`)

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

type Rec = Record<string, unknown>

/** The reference: every field of the record log, compared by JSON. */
function reference(a: Rec, b: Rec): string[] {
  const flat = (r: Rec) => {
    const out = new Map<string, string>()
    for (const [k, v] of Object.entries(r)) {
      if (k === 'id' || k === 'typeName') continue
      if ((k === 'props' || k === 'meta') && typeof v === 'object' && v !== null && !Array.isArray(v)) {
        for (const [s, sv] of Object.entries(v)) out.set(`${k}.${s}`, JSON.stringify(sv) ?? 'undefined')
      } else out.set(k, JSON.stringify(v) ?? 'undefined')
    }
    return out
  }
  const [fa, fb] = [flat(a), flat(b)]
  const keys = new Set([...fa.keys(), ...fb.keys()])
  return [...keys].filter((k) => !fa.has(k) || !fb.has(k) || fa.get(k) !== fb.get(k)).sort()
}

describe('changedFields', () => {
  test('a move and any other change give the fields of the record log', () => {
    const rand = random(SEED)
    const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)] as T
    const values = [0, 1, 2.5, 'a', 'b', null, undefined, true, [1, 2], { c: 1 }]
    for (let i = 0; i < 2_000; i++) {
      const props = { w: pick([100, 200]), color: pick(['red', 'blue']) }
      const a: Rec = { id: 'shape:x', typeName: 'shape', x: pick([0, 10]), y: pick([0, 10]), rotation: 0, parentId: 'page:p', props, meta: {} }
      const b: Rec = { ...a }
      for (let n = Math.floor(rand() * 3); n > 0; n--) {
        const r = rand()
        const key = pick(['x', 'y', 'rotation', 'parentId', 'opacity', 'props', 'meta'])
        if (r < 0.15) delete b[key]
        else if (key === 'props') b.props = rand() < 0.5 ? props : { ...props, color: pick(['red', 'green']) }
        else if (key === 'meta') b.meta = rand() < 0.5 ? {} : { note: pick(['n', 'm']) }
        else b[key] = pick(values)
      }
      expect([...changedFields(a, b)].sort(), JSON.stringify([a, b])).toEqual(reference(a, b))
      expect([...changedFields(b, a)].sort(), JSON.stringify([b, a])).toEqual(reference(b, a))
    }
  })

  test('a move gives its plain fields', () => {
    const a = { id: 'shape:x', typeName: 'shape', x: 1, y: 2, props: { w: 1 } }
    expect(changedFields(a, { ...a, x: 5, y: 6 })).toEqual(['x', 'y'])
  })
})
