/**
 * What one client update does to a board's document, in the terms of the board layout
 * (`shared/docLayout.ts`): log entries appended, live log entries deleted, and the stored schema
 * set. The structural pass (`inspectUpdate`) decodes an update against the room's doc before it is
 * applied and produces these; the record pass ({@link checkRecordOps}) judges what they do to the
 * board's records and whether the writer may do it. Nothing is applied before both have passed.
 */
import type { BoardId } from '../../shared/boards.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import type { CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'

/** The Yjs id of one log entry (an entry is one element of an item's content: clock + index). */
export type EntryId = { client: number; clock: number }

/** An update's effect on the record log and the metadata map. */
export type UpdateOps = {
  /** Entries the update appends to `keyplan.records`, in document order. */
  inserts: LogEntry[]
  /**
   * The Yjs id of each of {@link inserts}, same order, where known: a later update of the same
   * turn may delete an entry an earlier one inserted ([S26]).
   */
  insertIds?: EntryId[]
  /** Live entries of `keyplan.records` the update deletes, by Yjs id. */
  deletes: EntryId[]
  /** Present when the update sets `keyplan.meta`'s `schema` key: the value it sets. */
  schema?: { value: unknown }
}

/** Who sends an update. */
export type Writer = {
  role: Role
  /** The participant's stable user id (`user:…`), from the connection. */
  userId: string
  /** The key id of the connection's secret key (`shared/participantKey.ts`); absent without one ([R5], [R7]). */
  keyId?: string | undefined
  /** The connection id (logs). */
  connId: string
  board: BoardId
}

/** Why an update was refused: the close code and a short (<= 123 bytes) reason. */
export type Refusal = { code: CloseCode; reason: string }

/** The verdict of the record pass. */
export type RecordVerdict = { ok: true; touched: ReadonlySet<string> } | { ok: false; refusal: Refusal }
