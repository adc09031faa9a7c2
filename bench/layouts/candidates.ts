import { isEqual, type JsonObject, type JsonValue } from '@tldraw/utils'
import { YKeyValue } from 'y-utility/y-keyvalue'
import * as Y from 'yjs'
import { readRecords, writeRecordChanges, type RecordChanges } from '../../shared/docLayout.ts'

/**
 * The Yjs document layouts compared by the layout suite. Each one maps tldraw records to a
 * Y.Doc; `record-log` is the layout Keyplan uses (`shared/docLayout.ts`), the others are the
 * alternatives from issue 3, implemented as a binding would use them.
 */

/** A layout opened on one Y.Doc. */
export interface LayoutHandle {
  /** Writes one store change as one transaction. */
  write(changes: RecordChanges): void
  /** Every complete record. */
  read(): Map<string, JsonObject>
}

export interface LayoutCandidate {
  name: string
  description: string
  open(doc: Y.Doc): LayoutHandle
}

const FLATTENED = new Set(['props', 'meta'])

const isPlainObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A record as fields for the per-field layouts: top-level keys, plus `props.<key>` and
 * `meta.<key>`; the container itself maps to `{}` so that an empty `props` survives.
 */
function flattenRecord(record: JsonObject): Map<string, JsonValue> {
  const fields = new Map<string, JsonValue>()
  for (const [key, value] of Object.entries(record)) {
    if (value === undefined) continue
    if (FLATTENED.has(key) && isPlainObject(value)) {
      fields.set(key, {})
      for (const [sub, subValue] of Object.entries(value)) if (subValue !== undefined) fields.set(`${key}.${sub}`, subValue)
    } else {
      fields.set(key, value)
    }
  }
  return fields
}

/** Rebuilds a record from flattened fields (`props.x`), or null without a typeName. */
function unflatten(fields: Iterable<[string, JsonValue]>): JsonObject | null {
  const record: JsonObject = {}
  const nested: [string, string, JsonValue][] = []
  for (const [field, value] of fields) {
    const dot = field.indexOf('.')
    if (dot === -1) record[field] = isPlainObject(value) ? { ...value } : value
    else nested.push([field.slice(0, dot), field.slice(dot + 1), value])
  }
  if (typeof record.typeName !== 'string') return null
  for (const [container, key, value] of nested) {
    const target = record[container]
    if (isPlainObject(target)) target[key] = value
  }
  return record
}

/** (A) Y.Map id → whole record. */
const yMap: LayoutCandidate = {
  name: 'y-map',
  description: 'Y.Map id → whole record',
  open(doc) {
    const map = doc.getMap<JsonObject>('records')
    return {
      write({ put, remove }) {
        doc.transact(() => {
          for (const record of put) {
            const id = record.id as string // every record has a string id
            if (!isEqual(map.get(id), record)) map.set(id, record)
          }
          for (const id of remove) map.delete(id)
        })
      },
      read: () => new Map(map.entries()),
    }
  },
}

/** (B) YKeyValue (y-utility) id → whole record. */
const yKeyValue: LayoutCandidate = {
  name: 'y-keyvalue',
  description: 'YKeyValue id → whole record',
  open(doc) {
    const kv = new YKeyValue<JsonObject>(doc.getArray('records'))
    return {
      write({ put, remove }) {
        doc.transact(() => {
          for (const record of put) {
            const id = record.id as string // every record has a string id
            if (!isEqual(kv.get(id), record)) kv.set(id, record)
          }
          for (const id of remove) kv.delete(id)
        })
      },
      read: () => new Map([...kv.map.entries()].map(([id, entry]) => [id, entry.val])),
    }
  },
}

/** (C) Y.Map id → nested Y.Map of fields, props flattened one level. */
const yMapFields: LayoutCandidate = {
  name: 'y-map-fields',
  description: 'Y.Map id → Y.Map of fields',
  open(doc) {
    const root = doc.getMap<Y.Map<JsonValue>>('records')
    return {
      write({ put, remove }) {
        doc.transact(() => {
          for (const record of put) {
            const id = record.id as string // every record has a string id
            const fields = flattenRecord(record)
            const existing = root.get(id)
            if (!existing || !existing.has('typeName')) {
              const map = new Y.Map<JsonValue>()
              for (const [field, value] of fields) map.set(field, value)
              root.set(id, map)
              continue
            }
            for (const [field, value] of fields) if (!isEqual(existing.get(field), value)) existing.set(field, value)
            for (const field of existing.keys()) if (!fields.has(field)) existing.delete(field)
          }
          for (const id of remove) root.delete(id)
        })
      },
      read() {
        const out = new Map<string, JsonObject>()
        for (const [id, map] of root.entries()) {
          const record = unflatten(map.entries())
          if (record) out.set(id, record)
        }
        return out
      },
    }
  },
}

const SEPARATOR = '\u0000'

/** (D) YKeyValue of fields: key = id + separator + field, props flattened one level. */
const keyValueFields: LayoutCandidate = {
  name: 'kv-fields',
  description: 'YKeyValue (id, field) → value',
  open(doc) {
    const kv = new YKeyValue<JsonValue>(doc.getArray('fields'))
    const fieldsOf = (id: string) =>
      [...kv.map.keys()].filter((key) => key.startsWith(id + SEPARATOR))
    return {
      write({ put, remove }) {
        doc.transact(() => {
          for (const record of put) {
            const id = record.id as string // every record has a string id
            const exists = kv.has(id + SEPARATOR + 'typeName')
            for (const [field, value] of flattenRecord(record)) {
              const key = id + SEPARATOR + field
              if (!exists || !isEqual(kv.get(key), value)) kv.set(key, value)
            }
          }
          for (const id of remove) for (const key of fieldsOf(id)) kv.delete(key)
        })
      },
      read() {
        const byId = new Map<string, [string, JsonValue][]>()
        for (const [key, entry] of kv.map) {
          const at = key.indexOf(SEPARATOR)
          const id = key.slice(0, at)
          let fields = byId.get(id)
          if (!fields) byId.set(id, (fields = []))
          fields.push([key.slice(at + 1), entry.val])
        }
        const out = new Map<string, JsonObject>()
        for (const [id, fields] of byId) {
          const record = unflatten(fields)
          if (record) out.set(id, record)
        }
        return out
      },
    }
  },
}

/** (E) Keyplan's record log: Y.Array of whole-record bases and field overrides, deleted by id. */
const fieldLog: LayoutCandidate = {
  name: 'record-log',
  description: 'record log: base + field overrides (shared/docLayout.ts)',
  open(doc) {
    return {
      write: (changes) => writeRecordChanges(doc, changes),
      read: () => readRecords(doc),
    }
  },
}

/** All candidates, ours first. */
export const LAYOUT_CANDIDATES: readonly LayoutCandidate[] = [fieldLog, yMap, yKeyValue, yMapFields, keyValueFields]
