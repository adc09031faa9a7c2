/**
 * What the SQLite and PostgreSQL stores do alike with rows they read back: validate a stored value
 * with its schema ([S18]) and assemble a document's update rows. Each store parses its own column
 * types (JSON text, `json`, integers or bigints) first.
 */
import type { z } from 'zod'
import { CorruptRecordError, type UpdatesSince } from './Store.ts'

/** Validates a decoded stored value with `schema`; anything wrong is a {@link CorruptRecordError}. */
export function parseStoredValue<S extends z.ZodType>(what: string, schema: S, value: unknown): z.infer<S> {
  const result = schema.safeParse(value)
  if (!result.success) {
    const issue = result.error.issues[0]
    throw new CorruptRecordError(what, issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid')
  }
  return result.data
}

/** Update rows `(seq, data)` in order; `lastSeq` is the last one's, `afterSeq` when there is none. */
export function updatesSince(rows: ReadonlyArray<{ seq: number; data: Uint8Array }>, afterSeq: number): UpdatesSince {
  return {
    updates: rows.map((row) => row.data),
    seqs: rows.map((row) => row.seq),
    lastSeq: rows.at(-1)?.seq ?? afterSeq,
    bytes: rows.reduce((sum, row) => sum + row.data.byteLength, 0),
  }
}
