/**
 * The record pass of the update guard (`server/sync/checkRecordOps.ts`): [R1] content validates,
 * [R2] size caps, [R3] no prototype paths, [R4] templates change only by the facilitator, [R5]
 * creator stamps, [R6] the stored schema, [R7] guests delete only their own records.
 * Real Y.Docs written through the board layout; the ops decoded by applying to a copy.
 */
import type { JsonObject } from '@tldraw/utils'
import { isEqual } from '@tldraw/utils'
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { checkRecordOps, RECORD_LIMITS } from '../../server/sync/checkRecordOps.ts'
import type { Writer } from '../../server/sync/updateOps.ts'
import type { BoardId } from '../../shared/boards.ts'
import { DOC_KEYS, readRecords, writeRecordChanges, writeStoredSchema } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { recordMigrator } from '../../shared/recordMigration.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CREATOR_META_KEY, creatorStamp } from '../../shared/recordRights.ts'
import type { Role } from '../../shared/roles.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { ACTION_COLUMNS, createSeededBoardUpdate, OBJECTIVES_FRAME, SWOT_FRAMES, WHITESPACE_FRAMES } from '../../shared/templates.ts'
import { action, arrow, arrowBinding, axisHeader, competitor, note, objective, whitespaceCell } from '../helpers/planBoards.ts'
import { opsOfChange } from '../helpers/updateOpsOf.ts'

const writer = (role: Role, userId = `user:${role}`, board: BoardId = 'actions'): Writer => ({ role, userId, connId: 'c1', board })
// Guests present a key ([S29]): a guest deletes what is stamped with its key id ([R7]).
const guest: Writer = { ...writer('guest', 'user:eve'), keyId: participantKeyId('eve-browser-secret-0123456789') }
const otherGuest: Writer = { ...writer('guest', 'user:mallory'), keyId: participantKeyId('mallory-browser-secret-0123456789') }
const team = writer('team', 'user:tom')
const facilitator = writer('facilitator', 'user:fay')

/** A room doc of `board` seeded like the server does. */
function seeded(board: BoardId): Y.Doc {
  const doc = new Y.Doc()
  Y.applyUpdate(doc, createSeededBoardUpdate(board))
  return doc
}

const json = (record: unknown) => record as JsonObject // tldraw records are JSON
const stamped = (record: unknown, by: Writer): JsonObject => {
  const r = json(record)
  return { ...r, meta: { ...(r.meta as JsonObject), [CREATOR_META_KEY]: creatorStamp(by) } }
}
const put = (doc: Y.Doc, ...records: JsonObject[]) => writeRecordChanges(doc, { put: records, remove: [] })
const remove = (doc: Y.Doc, ...ids: string[]) => writeRecordChanges(doc, { put: [], remove: ids })

/** Applies `change` to a copy of `doc` and judges it as `by`. */
function judge(doc: Y.Doc, by: Writer, change: (copy: Y.Doc) => void) {
  return checkRecordOps(doc, opsOfChange(doc, change), by)
}

function expectRefused(verdict: ReturnType<typeof checkRecordOps>, reason: RegExp): void {
  expect(verdict.ok).toBe(false)
  if (!verdict.ok) {
    expect(verdict.refusal.code).toBe(CLOSE_CODES.updateRefused)
    expect(verdict.refusal.reason).toMatch(reason)
    expect(Buffer.byteLength(verdict.refusal.reason)).toBeLessThanOrEqual(123)
  }
}

const teamCard = json(action('shape:team-card', { x: 20, y: 100 }, { title: 'Send proposal' }))
const guestNote = (by: Writer, id = 'shape:guest-note') => stamped(note(id, { x: 30, y: 300 }, 'From the customer'), by)

describe('[R1] content', () => {
  test('a valid new card and a drag of it pass, naming the record', () => {
    const doc = seeded('actions')
    const created = judge(doc, team, (c) => put(c, teamCard))
    expect(created).toEqual({ ok: true, touched: new Set(['shape:team-card']) })
    put(doc, teamCard)
    expect(judge(doc, guest, (c) => put(c, { ...teamCard, x: 200, y: 150 })).ok).toBe(true)
  })

  test('an invalid record is refused', () => {
    const doc = seeded('actions')
    expectRefused(judge(doc, team, (c) => put(c, { ...teamCard, x: 'far left' })), /not a valid record/)
    expectRefused(judge(doc, team, (c) => put(c, { ...teamCard, props: { ...(teamCard.props as JsonObject), status: 'someday' } })), /not a valid record/)
  })

  test('a change after an accepted one is validated in what it changes, and in what the doc holds unchecked', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    expect(judge(doc, team, (c) => put(c, { ...teamCard, x: 200 })).ok).toBe(true)
    put(doc, { ...teamCard, x: 200 })
    expectRefused(judge(doc, team, (c) => put(c, { ...teamCard, x: 'far left' })), /not a valid record/)
    expectRefused(judge(doc, team, (c) => put(c, { ...teamCard, x: 200, props: { ...(teamCard.props as JsonObject), status: 'someday' } })), /not a valid record/)
    // A value written past the guard (a board stored before it existed): the record's next change
    // is judged whole, although that value is the same before and after it.
    const broken = { ...teamCard, x: 200, props: { ...(teamCard.props as JsonObject), status: 'someday' } }
    put(doc, broken)
    expectRefused(judge(doc, team, (c) => put(c, { ...broken, y: 300 })), /not a valid record/)
  })

  test('a record type that is not a document record is refused', () => {
    const doc = seeded('actions')
    const camera = { id: 'camera:x', typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }
    expectRefused(judge(doc, team, (c) => put(c, camera)), /not a valid record/)
  })

  test('an unknown field is refused, top-level or in props', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    const log = (c: Y.Doc) => c.getArray<LogEntry>(DOC_KEYS.records)
    expectRefused(judge(doc, team, (c) => log(c).push([['shape:team-card', 'colour', 'red']])), /not a valid record/)
    expectRefused(judge(doc, team, (c) => log(c).push([['shape:team-card', 'props.secret', 'x']])), /not a valid record/)
    expectRefused(judge(doc, team, (c) => log(c).push([['shape:team-card', 'x.y', 1]])), /which no record has/)
    expectRefused(judge(doc, team, (c) => log(c).push([['shape:team-card', 'typeName', 'page']])), /which no record has/)
  })

  test('a refusal reason fits a close frame and holds no control characters, whatever the record id', () => {
    const doc = seeded('actions')
    const id = `shape:${'ü\n'.repeat(60)}`
    const verdict = judge(doc, team, (c) => put(c, { ...teamCard, id, x: 'far left' }))
    expectRefused(verdict, /not a valid record/)
    if (!verdict.ok) expect(verdict.refusal.reason).not.toMatch(/[\u0000-\u001f]/)
  })

  test('a record whose type changes is refused', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    const asNote = { ...json(note('shape:team-card', { x: 0, y: 0 }, 'x')) }
    expectRefused(judge(doc, team, (c) => put(c, asNote)), /changes its type/)
  })
})

describe('[R3] no path through a prototype', () => {
  test('a __proto__, constructor or prototype field is refused', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    for (const field of ['__proto__.format', '__proto__', 'constructor.polluted', 'props.__proto__', 'meta.prototype']) {
      expectRefused(
        judge(doc, guest, (c) => c.getArray<LogEntry>(DOC_KEYS.records).push([['shape:team-card', field, 'pwned']])),
        /which no record has/,
      )
    }
    expect(({} as Record<string, unknown>).format).toBeUndefined()
  })

  test('a __proto__ key inside a value is refused', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    const hostile = JSON.parse('{"__proto__":{"isAdmin":true}}') as JsonObject
    expectRefused(
      judge(doc, guest, (c) => c.getArray<LogEntry>(DOC_KEYS.records).push([['shape:team-card', 'meta.note', hostile]])),
      /__proto__ key/,
    )
  })
})

describe('[R2] size caps', () => {
  test('an oversized text is refused, a long one passes', () => {
    const doc = seeded('actions')
    const long = stamped(note('shape:n', { x: 0, y: 0 }, 'x'.repeat(2_000)), guest)
    expect(judge(doc, guest, (c) => put(c, long)).ok).toBe(true)
    const huge = stamped(note('shape:n', { x: 0, y: 0 }, 'x'.repeat(RECORD_LIMITS.richTextChars)), guest)
    expectRefused(judge(doc, guest, (c) => put(c, huge)), /too long a text/)
  })

  test('an oversized meta or record is refused', () => {
    const doc = seeded('actions')
    const bigMeta = { ...teamCard, meta: { blob: 'x'.repeat(RECORD_LIMITS.metaChars) } }
    expectRefused(judge(doc, team, (c) => put(c, bigMeta)), /too large a meta/)
    const bigTitle = { ...teamCard, props: { ...(teamCard.props as JsonObject), title: 'x'.repeat(RECORD_LIMITS.recordChars) } }
    expectRefused(judge(doc, team, (c) => put(c, bigTitle)), /too large/)
  })

  // The record pass measures a record from the lengths of its values last time plus those that
  // changed: growth spread over many fields and many updates must be caught as a whole record's.
  test('a meta grown past its cap through many small fields, in one update or many, is refused', () => {
    const doc = seeded('actions')
    const accept = (record: JsonObject) => {
      const verdict = judge(doc, team, (c) => put(c, record))
      if (verdict.ok) put(doc, record)
      return verdict
    }
    expect(accept(teamCard).ok).toBe(true)
    const withMeta = (count: number): JsonObject => {
      const meta: JsonObject = {}
      for (let i = 0; i < count; i++) meta[`k${i}`] = 'x'.repeat(30)
      return { ...teamCard, meta }
    }
    // One update: 200 small new fields, each far below any cap.
    expectRefused(judge(doc, team, (c) => put(c, withMeta(200))), /too large a meta/)
    // Many updates of 3 new fields each: accepted exactly while the meta is within its cap.
    let refusedAt = -1
    for (let count = 3; count < 200 && refusedAt < 0; count += 3) {
      const record = withMeta(count)
      const verdict = accept(record)
      expect(verdict.ok).toBe(JSON.stringify(record.meta).length <= RECORD_LIMITS.metaChars)
      if (!verdict.ok) refusedAt = count
    }
    expect(refusedAt).toBeGreaterThan(0)
  })

  test('a record grown to its cap by small changes passes, one character more is refused', () => {
    const doc = seeded('actions')
    const page = json({ ...(readRecords(doc).get('page:page') as JsonObject), name: 'Big' })
    let record = page
    const accept = (next: JsonObject) => {
      const verdict = judge(doc, facilitator, (c) => put(c, next))
      if (verdict.ok) {
        put(doc, next)
        record = next
      }
      return verdict
    }
    expect(accept(record).ok).toBe(true)
    // The name and the meta grow a little at a time, turn by turn, the other values staying.
    for (let step = 1; step <= 40; step++) {
      const grown = step % 4 ? { name: `${record.name as string}${'y'.repeat(1_500)}` } : { meta: { [`m${step}`]: 'w'.repeat(50), ...(record.meta as JsonObject) } }
      expect(accept({ ...record, ...grown }).ok).toBe(true)
    }
    const length = () => JSON.stringify(readRecords(doc).get('page:page')).length
    const room = RECORD_LIMITS.recordChars - length()
    expect(room).toBeGreaterThan(0)
    expect(accept({ ...record, name: `${record.name as string}${'z'.repeat(room)}` }).ok).toBe(true)
    expect(length()).toBe(RECORD_LIMITS.recordChars)
    expectRefused(judge(doc, facilitator, (c) => put(c, { ...record, meta: { ...(record.meta as JsonObject), m4: 'w'.repeat(51) } })), /too large/)
  })
})

describe('[R4] templates change only by the facilitator', () => {
  const strengths = SWOT_FRAMES.strengths.id
  const todo = ACTION_COLUMNS.open.id

  test('team deletes a quadrant: refused', () => {
    expectRefused(judge(seeded('swot'), writer('team', 'user:tom', 'swot'), (c) => remove(c, strengths)), /template/)
  })

  test('team relabels a quadrant: refused', () => {
    const doc = seeded('swot')
    const frame = readRecords(doc).get(strengths) as JsonObject
    const relabelled = { ...frame, props: { ...(frame.props as JsonObject), name: 'Our weaknesses' } }
    expectRefused(judge(doc, writer('team', 'user:tom', 'swot'), (c) => put(c, relabelled)), /template/)
  })

  test('guest moves or resizes a column: refused', () => {
    const doc = seeded('actions')
    const column = readRecords(doc).get(todo) as JsonObject
    expectRefused(judge(doc, guest, (c) => put(c, { ...column, x: 500 })), /template/)
    expectRefused(judge(doc, guest, (c) => put(c, { ...column, props: { ...(column.props as JsonObject), w: 10 } })), /template/)
  })

  test('team unlocks or re-parents a column the facilitator locked: refused', () => {
    const doc = seeded('actions')
    const column = readRecords(doc).get(todo) as JsonObject
    put(doc, { ...column, isLocked: true })
    expectRefused(judge(doc, team, (c) => put(c, { ...column, isLocked: false })), /template/)
    expectRefused(judge(doc, team, (c) => put(c, { ...column, isLocked: true, parentId: ACTION_COLUMNS.done.id })), /template/)
  })

  test('team or guest re-creating a column the facilitator deleted: refused; the facilitator may', () => {
    const doc = seeded('actions')
    const column = readRecords(doc).get(todo) as JsonObject
    remove(doc, todo)
    expectRefused(judge(doc, team, (c) => put(c, { ...column, props: { ...(column.props as JsonObject), name: 'Ours now' } })), /template/)
    expectRefused(judge(doc, guest, (c) => put(c, stamped(column, guest))), /template/)
    expect(judge(doc, facilitator, (c) => put(c, column)).ok).toBe(true)
  })

  test('the facilitator may do all: delete, move, relabel, delete a guest note', () => {
    const doc = seeded('swot')
    const by = writer('facilitator', 'user:fay', 'swot')
    const frame = readRecords(doc).get(strengths) as JsonObject
    expect(judge(doc, by, (c) => put(c, { ...frame, x: 40, props: { ...(frame.props as JsonObject), name: 'Our strengths' } })).ok).toBe(true)
    expect(judge(doc, by, (c) => remove(c, strengths, SWOT_FRAMES.threats.id)).ok).toBe(true)
    put(doc, guestNote(guest))
    expect(judge(doc, by, (c) => remove(c, 'shape:guest-note')).ok).toBe(true)
  })

  test('a team member\'s client upgrading an older stored schema may rewrite the templates it migrates', () => {
    const doc = seeded('swot')
    const ours = createKeyplanSchema().serialize()
    // Frames stored before frame v1 added `props.color`.
    const older = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape.frame': 0 } }
    const frames = [...readRecords(doc).values()].filter((r) => r.type === 'frame')
    put(doc, ...frames.map((f) => { const { color: _, ...props } = f.props as JsonObject; return { ...f, props } }))
    writeStoredSchema(doc, older)
    const upgrade = (c: Y.Doc) => {
      // What bindStoreToYDoc's load does for an older document (docs/decisions/001 rule 4).
      const migrate = recordMigrator(createKeyplanSchema(), older)
      const records = readRecords(c)
      const migrated = [...records.values()].map((r) => migrate(r)).flatMap((r) => (r.ok ? [json(r.record)] : []))
      c.transact(() => {
        writeRecordChanges(c, { put: migrated.filter((r) => !isEqual(r, records.get(String(r.id)))), remove: [] })
        writeStoredSchema(c, ours)
      })
    }
    const verdict = judge(doc, writer('team', 'user:tom', 'swot'), upgrade)
    expect(verdict.ok).toBe(true)
    // A real change of a template in the same older document is still refused.
    const move = (c: Y.Doc) => put(c, ...[...readRecords(c).values()].filter((r) => r.type === 'frame').map((f) => ({ ...f, x: 500 })))
    expectRefused(judge(doc, writer('team', 'user:tom', 'swot'), move), /template/)
  })

  test('rewriting a template unchanged (a browser creating the same default page) passes', () => {
    const doc = seeded('actions')
    const page = readRecords(doc).get('page:page') as JsonObject
    expect(judge(doc, guest, (c) => put(c, { ...page }))).toEqual({ ok: true, touched: new Set() })
  })
})

describe('[R4] a board is one page', () => {
  test('a second page, or a shape moved onto one, is refused for every role (QA q29d: "Move to page" took a card out of sight, still in the plan)', () => {
    const doc = seeded('actions')
    const page = { id: 'page:second', typeName: 'page', name: 'Page 2', index: 'a2', meta: {} }
    for (const by of [team, facilitator, guest]) expectRefused(judge(doc, by, (c) => put(c, page)), /one page/)
    put(doc, teamCard)
    expectRefused(judge(doc, team, (c) => put(c, { ...teamCard, parentId: 'page:second' })), /one page/)
    // The board's own page is still (re)created as tldraw does when it is missing.
    expect(judge(doc, team, (c) => put(c, { ...teamCard, x: 40 })).ok).toBe(true)
  })
})

describe('[R4] the templates of the objectives and whitespace boards', () => {
  const team = (board: BoardId) => writer('team', 'user:tom', board)

  test('team deletes or moves the objectives frame or a whitespace frame: refused', () => {
    expectRefused(judge(seeded('objectives'), team('objectives'), (c) => remove(c, OBJECTIVES_FRAME.id)), /template/)
    const doc = seeded('whitespace')
    const matrix = readRecords(doc).get(WHITESPACE_FRAMES.matrix.id) as JsonObject
    expectRefused(judge(doc, team('whitespace'), (c) => put(c, { ...matrix, x: 300 })), /template/)
    expectRefused(judge(doc, team('whitespace'), (c) => remove(c, WHITESPACE_FRAMES.competitors.id)), /template/)
  })

  test('team fills them: objective cards, whitespace cells, competitor cards and row and column headers pass', () => {
    const cards = judge(seeded('objectives'), team('objectives'), (c) => put(c, json(objective('shape:o1', { x: 40, y: 80 }, { objective: 'Grow revenue', baseline: 1, target: 2 }))))
    expect(cards.ok).toBe(true)
    const matrix = judge(seeded('whitespace'), team('whitespace'), (c) =>
      put(
        c,
        json(axisHeader('shape:row-1', 'row', { x: 20, y: 140 }, 'Logistics')),
        json(axisHeader('shape:col-1', 'column', { x: 240, y: 20 }, 'Tracking')),
        json(whitespaceCell('shape:c1', { x: 240, y: 140 }, { kind: 'opportunity', value: 120000, probability: 40 })),
        json(competitor('shape:k1', { x: 1900, y: 80 }, { name: 'Globex' })),
      ),
    )
    expect(matrix.ok).toBe(true)
  })

  test('the facilitator may move the frames; a guest rewriting them unchanged passes', () => {
    const doc = seeded('whitespace')
    const matrix = readRecords(doc).get(WHITESPACE_FRAMES.matrix.id) as JsonObject
    expect(judge(doc, writer('facilitator', 'user:fay', 'whitespace'), (c) => put(c, { ...matrix, x: 40 })).ok).toBe(true)
    expect(judge(doc, writer('guest', 'user:eve', 'whitespace'), (c) => put(c, { ...matrix })).ok).toBe(true)
  })
})

describe('[R5] creators', () => {
  test('a guest must stamp what it creates with itself', () => {
    const doc = seeded('actions')
    expect(judge(doc, guest, (c) => put(c, guestNote(guest))).ok).toBe(true)
    expectRefused(judge(doc, guest, (c) => put(c, json(note('shape:n', { x: 0, y: 0 }, 'x')))), /no creator/)
  })

  test('a forged creator is refused', () => {
    const doc = seeded('actions')
    expectRefused(judge(doc, guest, (c) => put(c, stamped(note('shape:n', { x: 0, y: 0 }, 'x'), team))), /another creator/)
    expectRefused(judge(doc, guest, (c) => put(c, guestNote(otherGuest))), /another creator/)
    // [R5] the key id is the writer's own or left out; a writer without a key names none.
    expect(judge(doc, guest, (c) => put(c, guestNote({ ...guest, keyId: undefined }))).ok).toBe(true)
    expectRefused(judge(doc, guest, (c) => put(c, guestNote({ ...guest, keyId: otherGuest.keyId }))), /another creator/)
    expectRefused(judge(doc, { ...guest, keyId: undefined }, (c) => put(c, guestNote(guest))), /another creator/)
    expectRefused(judge(doc, team, (c) => put(c, guestNote(guest))), /another creator/)
  })

  test('a creator never changes, not even by the facilitator', () => {
    const doc = seeded('actions')
    put(doc, guestNote(guest))
    const note_ = readRecords(doc).get('shape:guest-note') as JsonObject
    expectRefused(judge(doc, guest, (c) => put(c, stamped(note_, team))), /changes its creator/)
    expectRefused(judge(doc, facilitator, (c) => put(c, { ...note_, meta: {} })), /changes its creator/)
    // Editing someone else's note keeps its creator and passes.
    expect(judge(doc, team, (c) => put(c, { ...note_, x: 400 })).ok).toBe(true)
  })

  test('team and facilitator may create unstamped content (counted as the team\'s)', () => {
    const doc = seeded('actions')
    expect(judge(doc, team, (c) => put(c, teamCard)).ok).toBe(true)
    expect(judge(doc, facilitator, (c) => put(c, teamCard)).ok).toBe(true)
  })
})

describe('[R7] guests delete only what they created', () => {
  test('guest deletes a team card: refused', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    expectRefused(judge(doc, guest, (c) => remove(c, 'shape:team-card')), /created by someone else/)
  })

  test('guest deletes its own note: passes; another guest: refused', () => {
    const doc = seeded('actions')
    put(doc, guestNote(guest))
    expect(judge(doc, guest, (c) => remove(c, 'shape:guest-note'))).toEqual({ ok: true, touched: new Set(['shape:guest-note']) })
    expectRefused(judge(doc, otherGuest, (c) => remove(c, 'shape:guest-note')), /created by someone else/)
  })

  test("a guest with the creator's user id but another key, or none, deletes nothing of it", () => {
    const doc = seeded('actions')
    put(doc, guestNote(guest))
    for (const keyId of [otherGuest.keyId, undefined]) {
      expectRefused(judge(doc, { ...guest, keyId }, (c) => remove(c, 'shape:guest-note')), /created by someone else/)
    }
  })

  test('a stamp without a key id is deleted by no guest, by the team', () => {
    const doc = seeded('actions')
    put(doc, guestNote({ ...guest, keyId: undefined }))
    expectRefused(judge(doc, guest, (c) => remove(c, 'shape:guest-note')), /created by someone else/)
    expectRefused(judge(doc, { ...guest, keyId: undefined }, (c) => remove(c, 'shape:guest-note')), /created by someone else/)
    expect(judge(doc, team, (c) => remove(c, 'shape:guest-note')).ok).toBe(true)
  })

  test('guest deletes its own arrow bound to a team card, binding included: passes', () => {
    const doc = seeded('actions')
    const own = stamped(arrow('shape:arrow', { x: 0, y: 0 }), guest)
    const binding = stamped(arrowBinding('shape:arrow', 'shape:team-card', 'end'), guest)
    put(doc, teamCard, own, binding)
    expect(judge(doc, guest, (c) => remove(c, 'shape:arrow', String(binding.id))).ok).toBe(true)
  })

  test('guest deletes its own note a team arrow is bound to: the team binding may go with it', () => {
    const doc = seeded('actions')
    const teamArrow = json(arrow('shape:team-arrow', { x: 0, y: 0 }))
    const binding = json(arrowBinding('shape:team-arrow', 'shape:guest-note', 'end'))
    put(doc, guestNote(guest), teamArrow, binding)
    expect(judge(doc, guest, (c) => remove(c, 'shape:guest-note', String(binding.id))).ok).toBe(true)
    expectRefused(judge(doc, guest, (c) => remove(c, 'shape:team-arrow', String(binding.id))), /created by someone else/)
  })

  test('viewers change nothing', () => {
    expectRefused(judge(seeded('actions'), writer('viewer'), (c) => put(c, teamCard)), /viewers/)
  })
})

describe('[R6] the stored schema', () => {
  test('a schema the server does not know is refused, from any role', () => {
    const doc = seeded('actions')
    const ours = createKeyplanSchema().serialize()
    const newer = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape.note': 99 } }
    for (const by of [guest, team, facilitator]) {
      expectRefused(judge(doc, by, (c) => writeStoredSchema(c, newer)), /schema/)
    }
    expectRefused(judge(doc, team, (c) => c.getMap(DOC_KEYS.meta).set('schema', 'garbage')), /schema/)
  })

  test('the server\'s own schema may be written (a client storing or upgrading it)', () => {
    const doc = seeded('actions')
    const verdict = judge(doc, guest, (c) => writeStoredSchema(c, createKeyplanSchema().serialize()))
    expect(verdict.ok).toBe(true)
  })

  test('a guest deleting every record is refused', () => {
    const doc = seeded('actions')
    put(doc, teamCard)
    expectRefused(judge(doc, guest, (c) => remove(c, ...readRecords(c).keys())), /template|someone else/)
  })
})
