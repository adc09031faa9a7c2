/**
 * Carrying a plan forward (issue 16, docs/accounts.md [K7]): the first update of each board of a
 * new workshop, holding the records of a snapshot's board (migrated to the current schema) in a
 * fresh document, so the new workshop starts where the account's latest plan left off. Shape ids
 * stay the same, so plans of both workshops can be compared item by item ([K6]).
 */
import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { readRecords, readStoredSchema, writeRecordChanges, writeStoredSchema } from '../../shared/docLayout.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { recordMigrator } from '../../shared/recordMigration.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import type { DocumentUpdate } from '../store/Store.ts'
import { docFromUpdates } from './boardDocs.ts'

export type CarryForwardOptions = {
  /** Leave action cards whose status is `done` out (and the bindings that point at them). */
  dropDoneActions: boolean
}

/** The new boards, and what could not be carried. */
export type CarriedBoards = {
  updates: DocumentUpdate[]
  /** Records of the snapshot that are not valid in the current schema (left out, the snapshot keeps them). */
  skipped: number
  /** Done action cards left out. */
  dropped: number
}

function isDoneAction(record: JsonObject): boolean {
  const props = record['props']
  return record['typeName'] === 'shape' && record['type'] === 'action' && typeof props === 'object' && props !== null && !Array.isArray(props) && props['status'] === 'done'
}

/**
 * The first update of every board of workshop `workshopId`, from `states` (each board's Yjs state
 * at the snapshot); a board the snapshot lacks starts from its template.
 */
export function carriedBoards(workshopId: string, states: Partial<Record<BoardId, Uint8Array>>, options: CarryForwardOptions): CarriedBoards {
  const schema = createKeyplanSchema()
  let skipped = 0
  let dropped = 0
  const updates = BOARD_IDS.map((board): DocumentUpdate => {
    const state = states[board]
    const docName = syncRoomName(workshopId, board)
    if (!state) return { docName, update: createSeededBoardUpdate(board) }
    const source = docFromUpdates([state])
    const migrate = recordMigrator(schema, readStoredSchema(source))
    const records: JsonObject[] = []
    for (const record of readRecords(source).values()) {
      const result = migrate(record)
      if (!result.ok) skipped++
      else records.push(result.record as unknown as JsonObject) // a tldraw record is JSON
    }
    source.destroy()
    const removed = new Set(options.dropDoneActions ? records.filter(isDoneAction).map((r) => r['id']) : [])
    dropped += removed.size
    const kept = records.filter((r) => !removed.has(r['id']) && !(r['typeName'] === 'binding' && (removed.has(r['fromId']) || removed.has(r['toId']))))
    const doc = new Y.Doc()
    writeStoredSchema(doc, schema.serialize())
    writeRecordChanges(doc, { put: kept, remove: [] })
    const update = Y.encodeStateAsUpdate(doc)
    doc.destroy()
    return { docName, update }
  })
  return { updates, skipped, dropped }
}
