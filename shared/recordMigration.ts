import type { SerializedSchema } from '@tldraw/store'
import type { TLRecord, TLSchema } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'

/**
 * Turning records read from a board's Y.Doc (`readRecords`, `observeRecords`) into valid
 * records of the current tldraw schema: migrate them from the schema stored in the document,
 * keep only document records, validate. Used by the client binding and by the server when it
 * reads a board.
 */

/** How the schema stored in a document relates to ours. */
export type StoredSchemaRelation = 'same' | 'older' | 'newer'

/**
 * Compares the document's stored schema with `schema`. `newer` means the document was written
 * by a newer Keyplan (a sequence we do not know, or a later version of one we do): its records
 * can only be used if they happen to validate as they are. A missing stored schema counts as
 * `same` (a new document, or one written without it).
 * @example relateStoredSchema(createKeyplanSchema(), readStoredSchema(doc)) // 'older'
 */
export function relateStoredSchema(schema: TLSchema, stored: SerializedSchema | null): StoredSchemaRelation {
  if (!stored) return 'same'
  // Called for every remote batch with the same stored object (Yjs hands out the same value),
  // and `serialize()` is not cheap: remember the answer per schema and stored object.
  let relations = relationCache.get(schema)
  if (!relations) relationCache.set(schema, (relations = new WeakMap()))
  let relation = relations.get(stored)
  if (!relation) relations.set(stored, (relation = computeRelation(schema, stored)))
  return relation
}

const relationCache = new WeakMap<TLSchema, WeakMap<SerializedSchema, StoredSchemaRelation>>()

function computeRelation(schema: TLSchema, stored: SerializedSchema): StoredSchemaRelation {
  if (stored.schemaVersion !== 2) return schema.getMigrationsSince(stored).ok ? 'older' : 'newer'
  const current = schema.serialize().sequences
  let older = false
  for (const [sequence, version] of Object.entries(stored.sequences)) {
    const ours = current[sequence]
    if (ours === undefined || version > ours) return 'newer'
    if (version < ours) older = true
  }
  for (const sequence of Object.keys(current)) if (!(sequence in stored.sequences)) older = true
  return older ? 'older' : 'same'
}

/** A record ready for the store, or why it is not. */
export type MigratedRecord = { ok: true; record: TLRecord } | { ok: false; error: Error }

/**
 * A function that migrates records stored with `stored` to `schema` and validates them. Only
 * document-scoped records pass: session and presence records (instance, camera, pointer,
 * instance_presence) never belong in a board's document, so a peer that writes one cannot
 * change anybody's session.
 * @example
 * const migrate = recordMigrator(createKeyplanSchema(), readStoredSchema(doc))
 * for (const record of readRecords(doc).values()) {
 *   const result = migrate(record)
 *   if (result.ok) use(result.record)
 * }
 */
export function recordMigrator(
  schema: TLSchema,
  stored: SerializedSchema | null
): (record: JsonObject, knownGood?: TLRecord) => MigratedRecord {
  const relation = relateStoredSchema(schema, stored)
  // `knownGood`: a record of the same type that passed this schema's validation; values the
  // record shares with it by reference are not validated again (tldraw's
  // `validateUsingKnownGoodVersion`, as its store validates a changed record).
  return (record, knownGood) => {
    try {
      const typeName = record.typeName
      const type = typeof typeName === 'string' ? schema.types[typeName as TLRecord['typeName']] : undefined // checked just below
      if (!type) throw new Error(`Unknown record type "${String(typeName)}"`)
      if (type.scope !== 'document') throw new Error(`Record type "${typeName}" is not a document record`)
      let migrated = record as unknown as TLRecord // validated below, after migration
      if (stored && relation === 'older') {
        const result = schema.migratePersistedRecord(migrated, stored)
        if (result.type === 'error') throw new Error(`Cannot migrate from the stored schema: ${result.reason}`)
        migrated = result.value
      }
      try {
        const usable = knownGood !== undefined && knownGood.typeName === migrated.typeName
        return { ok: true, record: type.validate(migrated, usable ? knownGood : undefined) }
      } catch (error) {
        if (relation !== 'newer') throw error
        throw new Error(`Written by a newer version of Keyplan (reload to update): ${String(error)}`)
      }
    } catch (error) {
      return { ok: false, error: error instanceof Error ? error : new Error(String(error)) }
    }
  }
}
