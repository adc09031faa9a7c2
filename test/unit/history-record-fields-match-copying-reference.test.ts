/**
 * [H2] The history's field helpers made without per-call sets, spreads and closures (they run on
 * every record of every relayed transaction) answer exactly as the copying versions they replace:
 * the same changed fields in the same order, and the same rebased record, key order included.
 * Seeded random records; the seed is printed.
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { describe, expect, test } from 'vitest'
import { changedFields, getField, jsonEqual, withFieldsOf } from '../../server/history/recordFields.ts'

const SEED = 20261204
console.log(`history-record-fields seed ${SEED}`)

function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

const KEYS = ['x', 'y', 'props', 'meta', 'rotation', 'parentId', '__proto__', 'constructor']
const SUBS = ['color', 'w', 'h', 'text', 'pos', 'richText', '__proto__']

function value(rand: () => number, depth: number): JsonValue {
  const r = rand()
  if (r < 0.25 || depth > 2) return Math.floor(rand() * 4)
  if (r < 0.4) return ['a', 'b', 'c'][Math.floor(rand() * 3)] as string
  if (r < 0.5) return null
  if (r < 0.7) return [value(rand, depth + 1), value(rand, depth + 1)]
  const out: JsonObject = {}
  for (const k of SUBS) if (rand() < 0.4) Object.defineProperty(out, k, { value: value(rand, depth + 1), enumerable: true, writable: true, configurable: true })
  return out
}

function record(rand: () => number): JsonObject {
  const out: JsonObject = {}
  for (const k of KEYS) if (rand() < 0.7) Object.defineProperty(out, k, { value: value(rand, 0), enumerable: true, writable: true, configurable: true })
  return out
}

/** The earlier `changedFields`: a set of both records' keys, and of both containers' keys. */
function changedFieldsReference(a: JsonObject, b: JsonObject): string[] {
  const plain = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v)
  const fields: string[] = []
  for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const va = a[key]
    const vb = b[key]
    if ((key === 'props' || key === 'meta') && plain(va) && plain(vb)) {
      for (const sub of new Set([...Object.keys(va), ...Object.keys(vb)])) if (!jsonEqual(va[sub], vb[sub])) fields.push(`${key}.${sub}`)
    } else if (!jsonEqual(va, vb)) fields.push(key)
  }
  return fields
}

/** The earlier `jsonEqual`: both objects' keys listed. */
function jsonEqualReference(a: JsonValue | undefined, b: JsonValue | undefined): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqualReference(v, b[i]))
  }
  const keys = Object.keys(a)
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEqualReference(a[key], b[key]))
}

/** The earlier rebase: one copying `withField` per field. */
function withFieldReference(record: JsonObject, field: string, value: JsonValue | undefined): JsonObject {
  const put = (target: JsonObject, key: string, v: JsonValue | undefined) => {
    if (v === undefined) delete target[key]
    else Object.defineProperty(target, key, { value: v, enumerable: true, writable: true, configurable: true })
  }
  const copy: JsonObject = { ...record }
  const dot = field.indexOf('.')
  if (dot === -1) {
    put(copy, field, value)
    return copy
  }
  const head = field.slice(0, dot)
  const current = Object.hasOwn(copy, head) ? copy[head] : undefined
  const container: JsonObject = typeof current === 'object' && current !== null && !Array.isArray(current) ? { ...current } : {}
  put(container, field.slice(dot + 1), value)
  put(copy, head, container)
  return copy
}

/** Own keys and values, in order, all the way down. */
function shape(v: unknown): unknown {
  if (typeof v !== 'object' || v === null) return v
  if (Array.isArray(v)) return v.map(shape)
  return Object.keys(v).map((k) => [k, shape((v as Record<string, unknown>)[k])]) // an object, checked above
}

describe('[H2] history field helpers', () => {
  test('changed fields and rebased records equal the copying versions', () => {
    const rand = random(SEED)
    for (let i = 0; i < 3000; i++) {
      const a = record(rand)
      const b = rand() < 0.3 ? { ...a, x: value(rand, 0) } : record(rand)
      expect(changedFields(a, b)).toEqual(changedFieldsReference(a, b))
      const fields = [...new Set([...changedFieldsReference(a, b), ...changedFieldsReference(b, record(rand))])]
      const first = record(rand)
      let expected = b
      for (const field of fields) expected = withFieldReference(expected, field, getField(first, field))
      expect(shape(withFieldsOf(b, fields, (field) => getField(first, field)))).toEqual(shape(expected))
    }
  })

  test('deep equality counts keys as the listing version compared them', () => {
    const rand = random(SEED + 1)
    const pairs: [JsonValue, JsonValue][] = [
      [{ a: 1 }, { a: 1, b: 2 }],
      [{ a: 1, b: 2 }, { a: 1 }],
      [{ a: 1, b: 2 }, { a: 1, c: 2 }],
      [{ a: { b: [1, { c: null }] } }, { a: { b: [1, { c: null }] } }],
      [{ a: { b: [1, { c: null }] } }, { a: { b: [1, { c: null, d: 0 }] } }],
      [[], {}],
    ]
    for (let i = 0; i < 3000; i++) {
      const a = record(rand)
      const r = rand()
      // Equal ones, ones with a key added or taken away, and unrelated ones.
      const b: JsonObject = r < 0.3 ? { ...a } : r < 0.6 ? { ...a, [KEYS[Math.floor(rand() * KEYS.length)] as string]: value(rand, 0) } : record(rand)
      if (r >= 0.3 && r < 0.45) delete b[KEYS[Math.floor(rand() * KEYS.length)] as string]
      pairs.push([a, b], [b, a])
    }
    let equal = 0
    for (const [a, b] of pairs) {
      expect(jsonEqual(a, b)).toBe(jsonEqualReference(a, b))
      if (jsonEqualReference(a, b)) equal++
    }
    // Both answers occur, so the comparison says something.
    expect(equal).toBeGreaterThan(100)
    expect(equal).toBeLessThan(pairs.length - 100)
  })
})
