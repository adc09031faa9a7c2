/**
 * [R2] The record pass measures a record's size from the lengths of the values it held last time
 * plus those that changed (`server/sync/recordSize.ts`): it must equal `JSON.stringify(x).length`
 * of the record, its `meta` and its `props.richText` after any sequence of changes — values
 * replaced, keys added, removed or reordered, containers turned into other values and back.
 */
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { recordSize } from '../../server/sync/recordSize.ts'
import { seededRandom } from '../helpers/seededRandom.ts'

/** A seeded generator (mulberry32), so a failure replays. */
const random = (seed: number): (() => number) => seededRandom(seed).next

test('a record measured change after change has the JSON length of the whole, of its meta and of its text', () => {
  const next = random(11)
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T // index below length
  const values = (): unknown => pick([1, -2.5, 'é"\\\n', 'x'.repeat(Math.floor(next() * 50)), null, true, [1, 'a', { b: 'c' }], { deep: { er: ['"'] } }, undefined])
  const keys = ['id', 'typeName', 'x', 'y', 'props', 'meta', 'ünï"code', 'richText', 'a']
  const doc = new Y.Doc()
  let record: Record<string, unknown> = { id: 'shape:a', typeName: 'shape', props: { richText: { type: 'doc' } }, meta: {} }
  for (let step = 0; step < 3_000; step++) {
    const copy: Record<string, unknown> = {}
    const order = next() < 0.1 ? Object.keys(record).reverse() : Object.keys(record)
    for (const key of order) copy[key] = record[key]
    for (let changes = Math.floor(next() * 4); changes > 0; changes--) {
      const key = pick(keys)
      const where = next()
      if ((key === 'props' || key === 'meta') && where < 0.8) {
        const container = copy[key]
        const inner: Record<string, unknown> = typeof container === 'object' && container !== null && !Array.isArray(container) ? { ...container } : {}
        if (next() < 0.2) delete inner[pick(keys)]
        else inner[pick(keys)] = values()
        copy[key] = inner
      } else if (where < 0.9) {
        copy[key] = values()
      } else {
        delete copy[key]
      }
    }
    record = copy
    const size = recordSize(doc, 'shape:a', record)
    expect(size.chars).toBe(JSON.stringify(record).length)
    const meta = record.meta
    expect(size.metaChars).toBe(meta === undefined ? undefined : JSON.stringify(meta).length)
    const props = record.props
    const text = typeof props === 'object' && props !== null && !Array.isArray(props) ? (props as Record<string, unknown>).richText : undefined
    if (text !== undefined) expect(size.richTextChars).toBe(JSON.stringify(text).length)
  }
})
