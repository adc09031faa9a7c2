/**
 * What the SQLite and PostgreSQL stores do alike with rows they read back: validate a stored value
 * with its schema ([S18]), assemble a document's update rows and a page of change history. Each store parses its own column
 * types (JSON text, `json`, integers or bigints) first.
 */
import type { z } from 'zod'
import type { BoardChange } from '../../shared/historyApi.ts'
import type { BoardId } from '../../shared/boards.ts'
import { CorruptRecordError, type ChangePage, type NewSnapshot, type UpdatesSince } from './Store.ts'

/**
 * A snapshot's board rows: each board's state with its internal document (null: none). Throws,
 * before anything is stored, for an internal document of a board without a state, and for a board
 * both stored and copied (`copied`, whose rows the store copies itself).
 */
export function snapshotBoardRows(snapshot: NewSnapshot): Array<[board: BoardId, state: Uint8Array, internal: Uint8Array | null]> {
  const internal = snapshot.internalBoards ?? {}
  const copied = snapshot.copied?.boards ?? []
  if (copied.some((board) => snapshot.boards[board] !== undefined) || new Set(copied).size !== copied.length) {
    throw new Error(`snapshot ${snapshot.plan.id}: a board both stored and copied, or copied twice`)
  }
  for (const board of Object.keys(internal) as BoardId[]) { // keys of a Partial<Record<BoardId, …>>
    if (!snapshot.boards[board]) throw new Error(`snapshot ${snapshot.plan.id}: an internal document of board ${board} without its state`)
  }
  return (Object.entries(snapshot.boards) as Array<[BoardId, Uint8Array]>).map(([board, state]) => [board, state, internal[board] ?? null]) // entries of a Partial<Record<BoardId, Uint8Array>>
}

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

/**
 * A page of change history from up to `limit + 1` rows, newest first (the extra row only tells
 * that there is a next page). A row `parse` finds corrupt is left out with a warning ([H1]).
 */
export function changePage<R extends { seq: number }>(rows: readonly R[], limit: number, parse: (row: R) => BoardChange): ChangePage {
  const shown = rows.slice(0, limit)
  const changes: BoardChange[] = []
  for (const row of shown) {
    try {
      changes.push(parse(row))
    } catch (error) {
      if (!(error instanceof CorruptRecordError)) throw error
      process.emitWarning(error.message)
    }
  }
  const last = shown.at(-1)
  return { changes, nextCursor: rows.length > limit && last ? String(last.seq) : null }
}
