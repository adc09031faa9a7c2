/**
 * [R3] Composing records from the record log (`readRecords`, `FieldIndex.preview`) never writes
 * through a prototype: entries whose field is `__proto__`, `constructor`, `prototype`, a dotted
 * path under anything but `props`/`meta`, or `id`/`typeName` are ignored.
 */
import { afterEach, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { parseFieldPath, type LogEntry } from '../../shared/FieldIndex.ts'

afterEach(() => {
  for (const key of ['format', 'polluted', 'isAdmin']) delete (Object.prototype as Record<string, unknown>)[key]
})

const base = {
  id: 'shape:a',
  typeName: 'shape',
  type: 'geo',
  x: 1,
  y: 2,
  props: { w: 10 },
  meta: {},
}

function docWith(entries: LogEntry[]): Y.Doc {
  const doc = new Y.Doc()
  writeRecordChanges(doc, { put: [base], remove: [] })
  doc.getArray<LogEntry>(DOC_KEYS.records).push(entries)
  return doc
}

describe('readRecords', () => {
  test('ignores fields through __proto__, constructor and prototype', () => {
    const doc = docWith([
      ['shape:a', '__proto__.format', 'pwned'],
      ['shape:a', 'constructor.polluted', 'pwned'],
      ['shape:a', '__proto__', { isAdmin: true }],
      ['shape:a', 'props.__proto__', { isAdmin: true }],
      ['shape:a', 'meta.constructor', 'x'],
      ['shape:a', 'prototype', 'x'],
    ])
    const record = readRecords(doc).get('shape:a')
    expect(({} as Record<string, unknown>).format).toBeUndefined()
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined()
    expect(record).toEqual(base)
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype)
    expect(Object.getPrototypeOf(record?.props)).toBe(Object.prototype)
  })

  test('ignores overrides of id and typeName and dotted paths outside props and meta', () => {
    const doc = docWith([
      ['shape:a', 'id', 'shape:b'],
      ['shape:a', 'typeName', 'page'],
      ['shape:a', 'x.y', 5],
      ['shape:a', 'props.w', 20],
    ])
    expect(readRecords(doc).get('shape:a')).toEqual({ ...base, props: { w: 20 } })
  })

  test('a base whose typeName comes only from a prototype is no record', () => {
    const doc = new Y.Doc()
    // lib0 decodes an object key `__proto__` by assignment, which sets the object's prototype.
    const inherited = JSON.parse('{"id":"shape:p","__proto__":{"typeName":"shape"}}') as Record<string, unknown>
    doc.getArray<LogEntry>(DOC_KEYS.records).push([['shape:p', '', inherited as never]]) // hostile value on purpose
    const copy = new Y.Doc()
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc))
    expect(readRecords(copy).has('shape:p')).toBe(false)
  })
})

describe('parseFieldPath', () => {
  test('allows top-level keys and one key of props or meta', () => {
    expect(parseFieldPath('x')).toEqual({ top: 'x', sub: null })
    expect(parseFieldPath('props.attitude')).toEqual({ top: 'props', sub: 'attitude' })
    expect(parseFieldPath('meta.keyplanCreator')).toEqual({ top: 'meta', sub: 'keyplanCreator' })
  })

  test('refuses prototype keys, identity keys and other paths', () => {
    for (const field of ['', '__proto__', 'constructor', 'prototype', '__proto__.format', 'props.__proto__', 'meta.prototype', 'id', 'typeName', 'x.y', 'props.']) {
      expect(parseFieldPath(field), field).toBeNull()
    }
  })
})
