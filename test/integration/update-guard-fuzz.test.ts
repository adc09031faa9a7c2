/**
 * Seeded fuzz of the update guard (issue 11, docs/server-rules.md [S26]–[S31], [R1]–[R7]): honest
 * y-websocket providers of every role edit the customer-facing action plan while raw clients of
 * every role send a random mix of valid changes and hostile updates. Checked during the run: every
 * hostile update closes only its sender with its named code and changes nothing; every valid one
 * is accepted exactly; honest clients are never closed; `/api/health` and the event loop answer
 * after every batch (a "did not hang" bound, not a timing assertion). Checked at the end: every
 * record validates, templates are as the facilitator left them, guest content is stamped with its
 * guest, nothing the team created was deleted by a guest, honest clients converge with the server,
 * and a restart on the same data dir gives the same board.
 *
 * The seed is fixed and printed; `FUZZ_SEED=123 npx vitest run test/integration/update-guard-fuzz.test.ts`
 * replays another. `FUZZ_OPS` changes the number of operations.
 */
import { isEqual, type JsonObject } from '@tldraw/utils'
import { toRichText } from '@tldraw/tlschema'
import * as encoding from 'lib0/encoding'
import { afterAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { DOC_KEYS, readRecords, readStoredSchema, writeRecordChanges, writeStoredSchema } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import { CLOSE_CODES, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { recordMigrator } from '../../shared/recordMigration.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CREATOR_META_KEY, creatorOf, creatorStamp, templateRecordIds, type BoardEditor } from '../../shared/recordRights.ts'
import { allInternal, type Role } from '../../shared/roles.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { ACTION_COLUMNS, BOARD_PAGE_ID, templateRecords } from '../../shared/templates.ts'
import { connectSynced, rawClient, syncFrame, updateFrame, waitFor, type RawClient, type TestClient } from '../helpers/clients.ts'
import { action, note } from '../helpers/planBoards.ts'
import { seededRandom, type SeededRandom } from '../helpers/seededRandom.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

const SEED = Number(process.env.FUZZ_SEED ?? 20261203)
const OPS = Number(process.env.FUZZ_OPS ?? 500)
/** Wall-clock cap of the random loop: the run stops early (and says so) on a slow machine. */
const LOOP_MS = 35_000
/** "Did not hang" guard for the health round trip and the event-loop timer (generous on purpose). */
const HANG_MS = 5_000
const BATCH = 25

const json = (record: unknown) => record as JsonObject // tldraw records are JSON
const schema = createKeyplanSchema()
const columns = Object.values(ACTION_COLUMNS).map((c) => String(c.id))
const templates = templateRecordIds('actions')
const seededColumn = (id: string) => templateRecords('actions').find((r) => r.id === id) as JsonObject // one of the board's columns

type Honest = { role: Role; userId: string; keyId: string; client: TestClient; closes: number[] }
type Raw = { role: Role; userId: string; keyId: string; clientID: number; conn: RawClient; closed?: { code: number; reason: string } }

/** Every participant presents its own key ([S29]); its stamps name the key id ([R5], [R7]). */
const keyOf = (userId: string) => `fuzz-${userId.replace('user:', '')}-browser-secret-0123456789`
const keyIdOf = (userId: string) => participantKeyId(keyOf(userId))

let server: TestServer | undefined
let honestClients: Honest[] = []
let raws: Raw[] = []
afterAll(async () => {
  for (const h of honestClients) h.client.destroy()
  for (const r of raws) r.conn.ws.terminate()
  await server?.close()
})

/** Records of a doc as a plain object (for deep comparison). */
function recordsOf(doc: Y.Doc | undefined): Record<string, JsonObject> {
  return doc ? Object.fromEntries([...readRecords(doc)].sort(([a], [b]) => (a < b ? -1 : 1))) : {}
}

/** Content shapes (not templates) of `doc`, sorted for a deterministic pick. */
function contentIds(doc: Y.Doc, filter: (record: JsonObject) => boolean = () => true): string[] {
  return [...readRecords(doc)]
    .filter(([id, r]) => !templates.has(id) && r.typeName === 'shape' && filter(r))
    .map(([id]) => id)
    .sort()
}

test(`random valid and hostile updates from every role: the guard holds (seed ${SEED})`, { timeout: 180_000 }, async () => {
  console.log(`update-guard fuzz: FUZZ_SEED=${SEED} FUZZ_OPS=${OPS}`)
  const random = seededRandom(SEED)
  server = await startServer()
  const srv = server
  const workshop: TestWorkshop = await srv.createWorkshop()
  const settings = { customerFacing: { ...allInternal(), actions: true } }
  const put = await workshopFetch(`${srv.url}/api/workshops/${workshop.id}/settings`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(settings) })
  expect(put.status).toBe(200)
  const room = `${workshop.id}/actions`
  const serverDoc = () => {
    const doc = srv.server.rooms.get(room)?.doc
    if (!doc) throw new Error('room not loaded')
    return doc
  }

  // Bookkeeping of what accepted valid operations did: who created each record, who deleted it.
  const created = new Map<string, BoardEditor>()
  const deleted = new Map<string, BoardEditor>()
  let nextId = 0
  const newId = (who: string) => `shape:fz-${who.replace('user:', '')}-${nextId++}`

  const connectHonest = async (role: Role, userId: string): Promise<Honest> => {
    const client = await connectSynced(srv.syncUrl, room, { params: { token: workshop.tokens[role], user: userId, key: keyOf(userId) } })
    const honest: Honest = { role, userId, keyId: keyIdOf(userId), client, closes: [] }
    client.provider.on('connection-close', (event: CloseEvent | null) => {
      if (event) honest.closes.push(event.code)
    })
    return honest
  }
  honestClients = [
    await connectHonest('facilitator', 'user:fay'),
    await connectHonest('team', 'user:tom'),
    await connectHonest('guest', 'user:eve'),
    await connectHonest('guest', 'user:gus'),
    await connectHonest('viewer', 'user:vic'),
  ]
  const writers = honestClients.filter((h) => h.role !== 'viewer')

  const connectRaw = async (role: Role, userId: string): Promise<Raw> => {
    const conn = rawClient(`${srv.syncUrl}/${room}?token=${workshop.tokens[role]}&user=${userId}&key=${keyOf(userId)}`)
    await conn.opened
    await waitFor(() => conn.received.length > 0, 'the server step 1')
    // A fresh Yjs client id per connection, from the seeded sequence ([S29]: one connection's own).
    const raw: Raw = { role, userId, keyId: keyIdOf(userId), clientID: 1 + random.below(2 ** 30), conn }
    void conn.closed.then((closed) => (raw.closed = closed))
    return raw
  }
  raws = [
    await connectRaw('facilitator', 'user:raw-fay'),
    await connectRaw('team', 'user:raw-tom'),
    await connectRaw('guest', 'user:raw-eve'),
    await connectRaw('viewer', 'user:raw-vic'),
  ]

  const record = (kind: 'note' | 'action', id: string, by: BoardEditor, stamp: boolean): JsonObject => {
    const meta: JsonObject = stamp ? { [CREATOR_META_KEY]: creatorStamp(by) } : {}
    const at = { x: random.below(1600), y: random.below(900), parentId: BOARD_PAGE_ID, meta }
    return kind === 'note' ? json(note(id, at, `note ${id}`)) : json(action(id, at, { title: `card ${id}`, status: random.pick(['open', 'in_progress', 'done', 'blocked'] as const) }))
  }

  /**
   * A valid change by `by` on `doc` (its own view), applied there. Returns what it did for the
   * bookkeeping, or null when there is nothing to do.
   */
  const validChange = (doc: Y.Doc, by: BoardEditor): { create?: string; remove?: string; template?: boolean } | null => {
    const records = readRecords(doc)
    const mine = (r: JsonObject) => by.role !== 'guest' || (creatorOf(r).role === 'guest' && creatorOf(r).userId === by.userId)
    const kind = random.below(by.role === 'facilitator' ? 6 : 5)
    if (kind <= 1 || records.size < 8) {
      const id = newId(by.userId)
      writeRecordChanges(doc, { put: [record(random.pick(['note', 'action'] as const), id, by, by.role === 'guest' || random.next() < 0.5)], remove: [] })
      return { create: id }
    }
    if (kind === 2 || kind === 3) {
      const ids = contentIds(doc)
      if (ids.length === 0) return null
      const target = records.get(random.pick(ids)) as JsonObject // picked from the doc's records
      const props = target.props as JsonObject
      const edited =
        kind === 2
          ? { ...target, x: random.below(1600), y: random.below(900) }
          : target.type === 'action'
            ? { ...target, props: { ...props, title: `edited ${random.below(1000)}` } }
            : { ...target, props: { ...props, richText: json(toRichText(`edited ${random.below(1000)}`)) } }
      writeRecordChanges(doc, { put: [json(edited)], remove: [] })
      return {}
    }
    if (kind === 4) {
      const ids = contentIds(doc, mine)
      if (ids.length === 0) return null
      const id = random.pick(ids)
      writeRecordChanges(doc, { put: [], remove: [id] })
      return { remove: id }
    }
    // The facilitator moves, relabels, deletes or re-creates a column ([R4]: only the facilitator may).
    const id = random.pick(columns)
    const column = records.get(id)
    if (!column) {
      writeRecordChanges(doc, { put: [seededColumn(id)], remove: [] })
      return { template: true }
    }
    if (random.next() < 0.25) {
      writeRecordChanges(doc, { put: [], remove: [id] })
      return { template: true }
    }
    const props = column.props as JsonObject
    const changed = random.next() < 0.5 ? { ...column, x: Number(column.x) + random.below(21) - 10 } : { ...column, props: { ...props, name: `Column ${random.below(100)}` } }
    writeRecordChanges(doc, { put: [json(changed)], remove: [] })
    return { template: true }
  }

  const book = ({ role, userId, keyId }: BoardEditor, did: { create?: string; remove?: string } | null) => {
    if (did?.create) created.set(did.create, { role, userId, keyId })
    if (did?.remove) deleted.set(did.remove, { role, userId, keyId })
  }

  /** Everyone honest has the server's records, and the server has theirs. */
  const quiesce = async () => {
    await waitFor(() => {
      const want = recordsOf(serverDoc())
      const doc = serverDoc()
      // Same records, and the server has every item each honest client wrote (an edit of a record
      // deleted meanwhile changes no record, but is an update all the same).
      return honestClients.every(
        (h) => Y.getState(doc.store, h.client.doc.clientID) >= Y.getState(h.client.doc.store, h.client.doc.clientID) && isEqual(recordsOf(h.client.doc), want),
      )
    }, 'honest clients and the server to converge')
  }

  /** A copy of the server's doc writing as `clientID`. */
  const serverCopy = (clientID: number): Y.Doc => {
    const doc = new Y.Doc()
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(serverDoc()))
    doc.clientID = clientID // set after applying: Yjs renews a client id it sees in a remote update
    return doc
  }
  const updateOf = (copy: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array => {
    const updates: Uint8Array[] = []
    copy.on('update', (u: Uint8Array) => updates.push(u))
    change(copy)
    return Y.mergeUpdates(updates)
  }

  /** `update`: a well-formed update frame (which a viewer's connection ignores, [S7]). */
  type Hostile = { name: string; frames: Uint8Array[] | string; codes: number[]; update?: boolean }
  /**
   * A hostile update from `raw`, built against `base` (a copy of the server's doc by default), and
   * the close codes it must get. In a `burst`, other connections' valid changes land in the same
   * turn in any order: only attacks refused whatever they do are drawn (not those on an existing
   * record, which a concurrent delete turns into harmless orphan entries).
   */
  const hostile = (raw: Raw, { base, burst = false }: { base?: Y.Doc; burst?: boolean } = {}): Hostile => {
    const by: BoardEditor = { role: raw.role, userId: raw.userId, keyId: raw.keyId }
    const copy = base ?? serverCopy(raw.clientID)
    const log = copy.getArray<LogEntry>(DOC_KEYS.records)
    const ids = contentIds(copy)
    const someId = ids.length > 0 ? random.pick(ids) : String(ACTION_COLUMNS.open.id)
    const refused = (name: string, change: (doc: Y.Doc) => void): Hostile => ({ name, frames: [updateFrame(updateOf(copy, change))], codes: [CLOSE_CODES.updateRefused], update: true })
    const fresh = () => record('note', newId(`bad-${raw.userId}`), by, true)
    const kinds: Array<() => Hostile | null> = [
      () => refused('invalid field value', (d) => (burst || random.next() < 0.5 ? writeRecordChanges(d, { put: [{ ...fresh(), x: 'far left' }], remove: [] }) : d.getArray<LogEntry>(DOC_KEYS.records).push([random.pick<LogEntry>([[someId, 'x', random.pick(['far', null, { a: 1 }, true])], [someId, 'rotation', 'left'], [someId, 'opacity', random.pick([5, -1, 'full'])], [someId, 'props.color', random.pick(['rainbow', -5, null])], [someId, 'isLocked', 'yes']])]))),
      () => refused('unknown field', () => log.push([[someId, random.pick(burst ? ['x.y', 'typeName', 'id'] : ['colour', 'props.secret', 'x.y', 'typeName', 'id']), 'x']])),
      () => refused('prototype path', () => log.push([[someId, random.pick(['__proto__.format', '__proto__', 'constructor.polluted', 'props.__proto__', 'meta.prototype', 'prototype']), 'pwned']])),
      () => refused('__proto__ key in a value', () => log.push([[someId, 'meta.note', JSON.parse('{"__proto__":{"polluted":true}}') as JsonObject]])),
      () => {
        // In a burst, the facilitator may delete the same template meanwhile, which makes this harmless.
        if (raw.role === 'facilitator' || burst) return null
        const records = readRecords(copy)
        const missing = columns.filter((c) => !records.has(c))
        const id = missing.length > 0 && random.next() < 0.5 ? random.pick(missing) : random.pick([...columns, BOARD_PAGE_ID, 'document:document'])
        const target = records.get(id)
        if (!target && columns.includes(id) && !burst) {
          const column = seededColumn(id)
          const again = raw.role === 'guest' ? { ...column, meta: { [CREATOR_META_KEY]: creatorStamp(by) } } : column
          return refused('deleted template re-created by a non-facilitator', (d) => writeRecordChanges(d, { put: [again], remove: [] }))
        }
        if (!target) return null
        const props = target.props as JsonObject | undefined
        const change = random.below(4)
        if (change === 0) return refused('template deleted by a non-facilitator', (d) => writeRecordChanges(d, { put: [], remove: [id] }))
        if (change === 1 || !props) return refused('template moved by a non-facilitator', () => log.push([[id, random.pick(['x', 'y']), 12_345]]))
        if (change === 2) return refused('template resized by a non-facilitator', () => log.push([[id, 'props.w', 10]]))
        return refused('template locked or relabelled by a non-facilitator', () => log.push(random.next() < 0.5 ? [[id, 'isLocked', true]] : [[id, 'props.name', 'Mine now']]))
      },
      () => {
        if (raw.role !== 'guest' || burst) return null
        const others = contentIds(copy, (r) => !(creatorOf(r).role === 'guest' && creatorOf(r).userId === raw.userId))
        if (others.length === 0) return null
        const victims = random.next() < 0.3 ? others : [random.pick(others)]
        if (random.next() < 0.3) {
          // Only the base entry: the record's overrides stay, as orphans.
          const index = log.toArray().findIndex(([id, field]) => id === victims[0] && field === '')
          return refused("guest deletes others' records (base entry only)", () => log.delete(index, 1))
        }
        return refused("guest deletes others' records", (d) => writeRecordChanges(d, { put: [], remove: victims }))
      },
      () => refused('foreign root type', (d) => (random.next() < 0.5 ? d.getText(random.pick(['notes', 'keyplan.text'])).insert(0, 'hello') : d.getMap(random.pick([DOC_KEYS.meta, 'other'])).set('other', 1))),
      () => refused('nested Y type', () => log.push([new Y.Map() as unknown as LogEntry])), // a shared type where an entry belongs
      () => refused('middle insert', () => log.insert(1 + random.below(Math.max(1, log.length - 1)), [[String(fresh().id), '', fresh()]])),
      () => {
        // The first change is never sent: the second one's structs would wait for it.
        writeRecordChanges(copy, { put: [fresh()], remove: [] })
        const sv = Y.encodeStateVector(copy)
        writeRecordChanges(copy, { put: [fresh()], remove: [] })
        return { name: 'pending structs', frames: [updateFrame(Y.encodeStateAsUpdate(copy, sv))], codes: [CLOSE_CODES.updateRefused], update: true }
      },
      () => {
        const encoder = encoding.createEncoder()
        const clients = 1 + random.below(50)
        encoding.writeVarUint(encoder, 0)
        encoding.writeVarUint(encoder, clients)
        for (let i = 0; i < clients; i++) {
          encoding.writeVarUint(encoder, 2 ** 31 + random.below(2 ** 30))
          encoding.writeVarUint(encoder, 1)
          encoding.writeVarUint(encoder, random.below(100))
          encoding.writeVarUint(encoder, 1 + random.below(10))
        }
        return { name: 'unknown delete ranges', frames: [updateFrame(encoding.toUint8Array(encoder))], codes: [CLOSE_CODES.updateRefused], update: true }
      },
      () => {
        const victim = random.pick(writers)
        const forged = serverCopy(victim.client.doc.clientID)
        return { name: "another connection's client id", frames: [updateFrame(updateOf(forged, (d) => writeRecordChanges(d, { put: [fresh()], remove: [] })))], codes: [CLOSE_CODES.updateRefused], update: true }
      },
      () => {
        const big = fresh()
        const which = random.below(3)
        if (which === 0) big.props = { ...(big.props as JsonObject), richText: json(toRichText('x'.repeat(33 * 1024))) }
        else if (which === 1) big.meta = { ...(big.meta as JsonObject), blob: 'y'.repeat(5 * 1024) }
        else {
          let deep: JsonObject = { end: true }
          for (let i = 0; i < 40; i++) deep = { deep }
          big.meta = { ...(big.meta as JsonObject), deep }
        }
        return refused('oversized value', (d) => writeRecordChanges(d, { put: [big], remove: [] }))
      },
      () => {
        const others: BoardEditor[] = ([{ role: 'team', userId: 'user:tom' }, { role: 'guest', userId: 'user:eve' }, { role: 'facilitator', userId: 'user:fay' }] as const)
          .filter((o) => o.userId !== raw.userId)
          .map((o) => ({ ...o, keyId: keyIdOf(o.userId) }))
        const forgedBy = random.pick(others)
        const forged = { ...fresh(), meta: { [CREATOR_META_KEY]: creatorStamp(forgedBy) } }
        const existing = ids.length > 0 ? readRecords(copy).get(someId) : undefined
        if (existing && !burst && random.next() < 0.5) {
          const stamp = creatorOf(existing).userId === forgedBy.userId ? { role: 'guest', userId: raw.userId } : creatorStamp(forgedBy)
          return refused('creator stamp changed', () => log.push([[someId, `meta.${CREATOR_META_KEY}`, stamp]]))
        }
        if (raw.role === 'guest' && random.next() < 0.5) {
          return refused('guest creates unstamped', (d) => writeRecordChanges(d, { put: [{ ...fresh(), meta: {} }], remove: [] }))
        }
        return refused('forged creator', (d) => writeRecordChanges(d, { put: [forged], remove: [] }))
      },
      () => {
        const records = readRecords(copy)
        const target = ids.length > 0 && !burst ? records.get(someId) : undefined
        if (!target) return null
        const other = target.type === 'note' ? action(someId, { x: 0, y: 0, meta: target.meta as JsonObject }) : note(someId, { x: 0, y: 0, meta: target.meta as JsonObject }, 'x')
        return refused('record changes its type', (d) => writeRecordChanges(d, { put: [json(other)], remove: [] }))
      },
      () => refused('session record', (d) => writeRecordChanges(d, { put: [{ id: `camera:${random.below(99)}`, typeName: 'camera', x: 0, y: 0, z: 1, meta: {} }], remove: [] })),
      () => {
        const ours = schema.serialize()
        const newer = { ...ours, sequences: { ...ours.sequences, 'com.tldraw.shape.note': 99 } }
        return refused('unknown stored schema', (d) => (random.next() < 0.5 ? writeStoredSchema(d, newer) : d.getMap(DOC_KEYS.meta).set('schema', 'garbage')))
      },
      () => {
        const which = random.below(5)
        const bytes = Uint8Array.from({ length: 4 + random.below(60) }, () => random.below(256))
        if (which === 0) return { name: 'text frame', frames: 'hello', codes: [CLOSE_CODES.unsupportedData] }
        if (which === 1) return { name: 'garbage: unknown message type', frames: [Uint8Array.from([4 + random.below(120), ...bytes])], codes: [CLOSE_CODES.invalidPayload] }
        if (which === 2) return { name: 'garbage: truncated update', frames: [Uint8Array.from([0, SYNC_MESSAGE_TYPE.update, 0x85, 0x01, ...bytes.slice(0, 3)])], codes: [CLOSE_CODES.invalidPayload] }
        if (which === 3) return { name: 'garbage: trailing bytes', frames: [Uint8Array.from([...updateFrame(Uint8Array.from([0, 0])), ...bytes])], codes: [CLOSE_CODES.invalidPayload] }
        // Random bytes as an update: undecodable, or decoded into something the guard refuses.
        return { name: 'garbage: random update', frames: [updateFrame(Uint8Array.from([0xff, 0xff, 0x7f, ...bytes]))], codes: [CLOSE_CODES.invalidPayload, CLOSE_CODES.updateRefused] }
      },
      () => {
        const frames = Array.from({ length: 8 }, () => syncFrame(SYNC_MESSAGE_TYPE.step1, Y.encodeStateVector(new Y.Doc())))
        return { name: 'sync step 1 flood', frames, codes: [CLOSE_CODES.rateLimited] }
      },
    ]
    for (;;) {
      const made = random.pick(kinds)()
      if (made) return made
    }
  }

  const stats = { honest: 0, valid: 0, hostile: 0, ignored: 0, replaced: 0, bursts: 0, sequences: 0, healthMaxMs: 0, loopMaxMs: 0 }
  const refusals = new Map<string, number>()
  let templatesExpected = Object.fromEntries([...templates].map((id) => [id, readRecords(serverDoc()).get(id)]))
  const templatesNow = () => Object.fromEntries([...templates].map((id) => [id, readRecords(serverDoc()).get(id)]))
  const replace = async (raw: Raw) => {
    const i = raws.indexOf(raw)
    raws[i] = await connectRaw(raw.role, raw.userId)
    stats.replaced++
  }
  const healthy = async () => {
    const started = performance.now()
    const response = await fetch(`${srv.url}/api/health`)
    expect(response.status).toBe(200)
    const health = performance.now() - started
    const tick = performance.now()
    await new Promise((resolve) => setTimeout(resolve, 0))
    const loop = performance.now() - tick
    stats.healthMaxMs = Math.max(stats.healthMaxMs, health)
    stats.loopMaxMs = Math.max(stats.loopMaxMs, loop)
    // A "did not hang" guard only: a stalled event loop takes seconds, a busy machine milliseconds.
    expect(health).toBeLessThan(HANG_MS)
    expect(loop).toBeLessThan(HANG_MS)
  }

  // Templates change only through the facilitator's changes ([R4]): checked whenever all is settled.
  let facilitatorPending = false
  const settled = async () => {
    await quiesce()
    if (facilitatorPending) templatesExpected = templatesNow()
    else expect(templatesNow(), 'templates changed by someone other than the facilitator').toEqual(templatesExpected)
    facilitatorPending = false
  }

  const expectRefusedWith = (raw: Raw, attack: Hostile, what: string) => {
    expect(attack.codes, `${what}: closed ${raw.closed?.code} ${raw.closed?.reason}`).toContain(raw.closed?.code)
    refusals.set(attack.name, (refusals.get(attack.name) ?? 0) + 1)
    stats.hostile++
  }
  const send = (raw: Raw, frames: Uint8Array[] | string) => {
    if (typeof frames === 'string') raw.conn.send(frames)
    else for (const frame of frames) raw.conn.send(frame)
  }

  /**
   * [S26] Several writers' updates in the same turn, each built on the same server state: the
   * valid ones are all applied (in whatever order they arrive: Yjs merges commute), the hostile
   * ones close only their senders.
   */
  const burstStep = async (step: number) => {
    const writersNow = raws.filter((r) => r.role !== 'viewer')
    const chosen = writersNow.filter(() => random.next() < 0.7)
    if (chosen.length < 2) return
    const expected = serverCopy(1)
    const plans = chosen.map((raw) => {
      const by: BoardEditor = { role: raw.role, userId: raw.userId, keyId: raw.keyId }
      if (random.next() < 0.6) {
        const copy = serverCopy(raw.clientID)
        const did: { value: ReturnType<typeof validChange> } = { value: null }
        const update = updateOf(copy, (d) => (did.value = validChange(d, by)))
        return { raw, by, valid: did.value ? { update, did: did.value } : undefined }
      }
      return { raw, by, attack: hostile(raw, { burst: true }) }
    })
    for (const plan of plans) if (plan.valid) Y.applyUpdate(expected, plan.valid.update)
    const want = recordsOf(expected)
    for (const plan of plans) {
      if (plan.valid) plan.raw.conn.send(updateFrame(plan.valid.update))
      else if (plan.attack) send(plan.raw, plan.attack.frames)
    }
    const what = `burst of ${plans.map((p) => `${p.raw.role}:${p.attack?.name ?? 'valid'}`).join(', ')} (step ${step}, seed ${SEED})`
    await waitFor(
      () => plans.every((p) => (p.attack ? p.raw.closed !== undefined : p.raw.closed === undefined || !p.valid)) && isEqual(recordsOf(serverDoc()), want),
      what,
      10_000,
    )
    for (const plan of plans) {
      if (plan.attack) expectRefusedWith(plan.raw, plan.attack, what)
      else expect(plan.raw.closed, `a valid update of ${plan.raw.role} in a ${what} was refused`).toBeUndefined()
      if (plan.valid) {
        book(plan.by, plan.valid.did)
        if (plan.valid.did.template) facilitatorPending = true
        stats.valid++
      }
    }
    stats.bursts++
  }

  /**
   * [S26] One connection's updates in one turn, each building on the one before: the valid ones
   * are applied; a hostile one at the end is refused, and only it (its predecessors stay).
   */
  const sequenceStep = async (step: number) => {
    const raw = random.pick(raws.filter((r) => r.role !== 'viewer'))
    const by: BoardEditor = { role: raw.role, userId: raw.userId, keyId: raw.keyId }
    const copy = serverCopy(raw.clientID)
    const frames: Uint8Array[] = []
    const dids: Array<NonNullable<ReturnType<typeof validChange>>> = []
    for (let n = 1 + random.below(4); n > 0; n--) {
      const did: { value: ReturnType<typeof validChange> } = { value: null }
      const update = updateOf(copy, (d) => (did.value = validChange(d, by)))
      if (did.value) {
        frames.push(updateFrame(update))
        dids.push(did.value)
      }
    }
    const want = recordsOf(copy)
    const attack = random.next() < 0.5 ? hostile(raw, { base: copy }) : undefined
    const what = `${frames.length} valid updates${attack ? ` then ${attack.name}` : ''} from ${raw.role} in one turn (step ${step}, seed ${SEED})`
    send(raw, frames)
    if (attack) send(raw, attack.frames)
    await waitFor(() => (attack ? raw.closed !== undefined : raw.closed === undefined) && isEqual(recordsOf(serverDoc()), want), what, 10_000)
    if (attack) expectRefusedWith(raw, attack, what)
    else expect(raw.closed, what).toBeUndefined()
    for (const did of dids) {
      book(by, did)
      if (did.template) facilitatorPending = true
      stats.valid++
    }
    stats.sequences++
  }

  // Each honest writer creates something first, so its client id is held by its connection ([S29]).
  for (const h of writers) book(h, validChange(h.client.doc, h))
  await settled()

  const started = Date.now()
  let step = 0
  for (; step < OPS && Date.now() - started < LOOP_MS; step++) {
    if (random.next() < 0.4) {
      // An honest provider edits its own view; not awaited, so honest edits are concurrent.
      const h = random.pick(writers)
      const did = validChange(h.client.doc, h)
      book(h, did)
      if (did?.template) facilitatorPending = true
      stats.honest++
    } else {
      await settled()
      const mode = random.next()
      if (mode < 0.25) {
        await (mode < 0.12 ? burstStep(step) : sequenceStep(step))
        for (const raw of [...raws]) if (raw.closed) await replace(raw)
        continue
      }
      const raw = random.pick(raws)
      const before = recordsOf(serverDoc())
      const beforeSv = Y.encodeStateVector(serverDoc())
      const by: BoardEditor = { role: raw.role, userId: raw.userId, keyId: raw.keyId }
      if (raw.role !== 'viewer' && random.next() < 0.4) {
        // A valid change sent raw: accepted exactly as the sender's copy has it.
        const copy = serverCopy(raw.clientID)
        const did: { value: ReturnType<typeof validChange> } = { value: null }
        const update = updateOf(copy, (d) => (did.value = validChange(d, by)))
        if (did.value === null) continue
        raw.conn.send(updateFrame(update))
        const want = recordsOf(copy)
        await waitFor(() => raw.closed !== undefined || isEqual(recordsOf(serverDoc()), want), `valid update of ${raw.role} to be applied`)
        expect(raw.closed, `a valid update of ${raw.role} was refused (step ${step}, seed ${SEED})`).toBeUndefined()
        book(by, did.value)
        if (did.value.template) facilitatorPending = true
        stats.valid++
      } else {
        const attack = hostile(raw)
        const what = `${attack.name} from ${raw.role} (step ${step}, seed ${SEED})`
        if (raw.role === 'viewer' && attack.update) {
          // A viewer's update of any kind is neither applied nor relayed, and does not close it ([S7]).
          for (const frame of attack.frames) raw.conn.send(frame)
          const seen = raw.conn.received.length
          raw.conn.send(Uint8Array.from([3])) // query awareness: answered after the update is handled
          await waitFor(() => raw.conn.received.length > seen || raw.closed !== undefined, 'the viewer answer')
          expect(raw.closed, `viewer closed by ${attack.name}`).toBeUndefined()
          stats.ignored++
        } else {
          if (typeof attack.frames === 'string') raw.conn.send(attack.frames)
          else for (const frame of attack.frames) raw.conn.send(frame)
          await waitFor(() => raw.closed !== undefined, `${attack.name} from ${raw.role} to be refused (step ${step}, seed ${SEED})`, 10_000)
          expect(attack.codes, `${attack.name} from ${raw.role}: closed ${raw.closed?.code} ${raw.closed?.reason} (step ${step}, seed ${SEED})`).toContain(raw.closed?.code)
          refusals.set(attack.name, (refusals.get(attack.name) ?? 0) + 1)
          stats.hostile++
        }
        // Nothing of it reached the board.
        expect(recordsOf(serverDoc()), what).toEqual(before)
        expect(Y.encodeStateVector(serverDoc()), what).toEqual(beforeSv)
      }
      if (raw.closed) await replace(raw)
    }
    if (step % BATCH === BATCH - 1) {
      await settled()
      await healthy()
    }
  }
  await settled()
  await healthy()
  console.log(`update-guard fuzz: ${step} steps in ${Date.now() - started} ms`, stats, Object.fromEntries(refusals))

  // Honest clients were never closed: no 4422/4429, no room reset.
  for (const h of honestClients) expect(h.closes, `${h.role} ${h.userId} was closed`).toEqual([])
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()

  const final = readRecords(serverDoc())
  // [R1] every record validates against the schema.
  const migrate = recordMigrator(schema, readStoredSchema(serverDoc()))
  for (const [id, r] of final) {
    const result = migrate(r)
    expect(result.ok, `${id} is not valid: ${result.ok ? '' : result.error.message}`).toBe(true)
  }
  // [R4] templates are intact, or as the facilitator left them.
  for (const id of templates) expect(final.get(id), `template ${id}`).toEqual(templatesExpected[id])
  // [R5] [R7] exactly the records valid operations created and did not delete; guests' stamped with the guest.
  const expectedIds = new Set([...[...templates].filter((id) => templatesExpected[id] !== undefined), ...[...created.keys()].filter((id) => !deleted.has(id))])
  for (const id of final.keys()) expect(expectedIds.has(id), `${id} is on the board but no valid operation created it`).toBe(true)
  for (const id of expectedIds) {
    const by = created.get(id)
    expect(final.has(id), `${id} (created by ${by?.role ?? 'the template'}) was deleted by nobody allowed to`).toBe(true)
    if (by?.role === 'guest') expect(creatorOf(final.get(id) as JsonObject)).toEqual(by)
  }
  for (const [id, by] of deleted) {
    const creator = created.get(id)
    if (by.role === 'guest') expect(creator, `${id} deleted by guest ${by.userId}`).toEqual(by)
  }

  // After a restart on the same data dir, the board is the same.
  const expected = recordsOf(serverDoc())
  await srv.server.rooms.get(room)?.whenDurable()
  for (const h of honestClients) h.client.destroy()
  honestClients = []
  for (const r of raws) r.conn.ws.terminate()
  raws = []
  await srv.stop()
  server = await startServer({ dataDir: srv.dataDir })
  const reader = await connectSynced(server.syncUrl, room, { params: { token: workshop.tokens.viewer, user: 'user:reader' } })
  try {
    expect(recordsOf(reader.doc)).toEqual(expected)
  } finally {
    reader.destroy()
  }
})
