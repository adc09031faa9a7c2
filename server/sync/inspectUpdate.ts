/**
 * The structural pass of the update guard (docs/server-rules.md [S26]–[S29], docs/board-layout.md):
 * reads a client update against the room's doc *without applying it* and says what it would do in
 * terms of the board layout ({@link UpdateOps}), or why it must be refused. What passes here can be
 * applied by Yjs without throwing, without leaving anything pending, and at a cost bounded by
 * {@link UpdateLimits.maxWork}. Its own cost is linear in the update (plus the struct visits it
 * charges to the work budget).
 */
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/docLayout.ts'
import type { LogEntry } from '../../shared/FieldIndex.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import type { EntryId, Refusal, UpdateOps } from './updateOps.ts'

/** A decoded update (`Y.decodeUpdate`). */
/**
 * Refusal reasons of an update that builds on structs the board lacks. From an honest client this
 * means the board misses something the client has (its own edits an instance lost when it died,
 * [S32]): the room asks it for them with a sync step 1 instead of closing it (Room, [S26]).
 */
export const MISSING_STRUCTS = 'update references structs the board does not have'
export const MISSING_DELETED_STRUCTS = 'update deletes structs the board does not have'

export type DecodedUpdate = ReturnType<typeof Y.decodeUpdate>

/** Caps of one update (docs/server-rules.md [S28]). */
export type UpdateLimits = {
  /** Most structs (items, deleted items) in one update. */
  maxStructs: number
  /** Most record-log entries one update inserts. */
  maxEntries: number
  /** Most bytes of one update. */
  maxBytes: number
  /** Most delete-set ranges in one update. */
  maxDeleteRanges: number
  /**
   * Most struct visits Yjs may make to integrate the update: its conflict scans (from an item's
   * origin rightwards) and its delete-set walks ([S27]).
   */
  maxWork: number
  /**
   * Most records a board may hold, over its two documents: an update that adds records past it is
   * refused ([S28], checked by the room with the record pass's preview).
   */
  maxBoardRecords: number
  /** Most JSON characters of live log entries a board may hold, over its two documents ([S28]). */
  maxBoardBytes: number
}

/** What an accepted update does, with the Yjs clients it writes (for client-id ownership, [S29]). */
export type Inspection =
  | { ok: true; ops: UpdateOps; clients: number[]; entries: number; work: number }
  | { ok: false; refusal: Refusal }

/** The meta map key of the stored schema (docLayout.ts). */
const SCHEMA_KEY = 'schema'
/** At most this many meta-map items per update: an honest client sets `schema` once per transaction. */
const MAX_META_ITEMS = 8
/** Nesting depth of a log entry's value; tldraw records are a few levels deep. */
const MAX_VALUE_DEPTH = 32

type Where = 'records' | 'meta'
/** A root shared type of the doc, if it exists. */
type RootType = ReturnType<Y.Doc['share']['get']>
/** What the inspection knows of an update item it has accepted (by client, in clock order). */
type Placed = { clock: number; length: number; where: Where; parentSub: string | null; order: number; entryStart: number }
/**
 * One client's structs of the update: `decoded.structs` from `start` (inclusive) to `stop`, a
 * contiguous slice (a client listed twice is refused), not a copy of it. `placed` is made with its
 * first item: an array pushed into from empty gets room for 17, and most runs place one item.
 */
type ClientRun = { client: number; start: number; stop: number; next: number; end: number; placed: Placed[] | undefined; onStack: boolean }

class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason)
  }
}
const refuse = (reason: string): never => {
  throw new Refused(reason)
}

/**
 * Inspects `decoded` (the decoding of an update of `byteLength` bytes) against `doc`. Pure: reads
 * `doc`, changes nothing.
 *
 * @example
 * const inspection = inspectUpdate(room.doc, Y.decodeUpdate(update), update.byteLength, limits)
 * if (!inspection.ok) conn.close(inspection.refusal.code, inspection.refusal.reason)
 */
export function inspectUpdate(doc: Y.Doc, decoded: DecodedUpdate, byteLength: number, limits: UpdateLimits): Inspection {
  try {
    return inspect(doc, decoded, byteLength, limits)
  } catch (error) {
    if (error instanceof Refused) return { ok: false, refusal: { code: CLOSE_CODES.updateRefused, reason: error.reason } }
    throw error
  }
}

function inspect(doc: Y.Doc, decoded: DecodedUpdate, byteLength: number, limits: UpdateLimits): Inspection {
  if (byteLength > limits.maxBytes) refuse(`update too large: ${byteLength} bytes (max ${limits.maxBytes})`)
  if (decoded.structs.length > limits.maxStructs) refuse(`update too large: ${decoded.structs.length} structs (max ${limits.maxStructs})`)
  const pass = new StructuralPass(doc, limits)
  const runs = pass.runs

  // Each client's structs as one contiguous run (Yjs keeps only the last run of a client listed twice).
  const structs = decoded.structs
  let previous: ClientRun | undefined
  for (let i = 0; i < structs.length; i++) {
    const struct = structs[i] as Y.Item | Y.GC | Y.Skip // i < length
    const client = struct.id.client
    if (previous?.client !== client) {
      if (runs.has(client)) refuse('a client is listed twice')
      previous = { client, start: i, stop: i, next: 0, end: struct.id.clock, placed: undefined, onStack: false }
      runs.set(client, previous)
      // [S27] no gap: a client's structs start at (or before) the clock the doc has of it.
      if (struct.id.clock > pass.docClock(client)) refuse(MISSING_STRUCTS)
    }
    if (struct.id.clock !== previous.end) refuse('gap in a client\'s structs')
    if (struct instanceof Y.Skip) refuse('update has a gap (skip)')
    if (struct instanceof Y.GC) refuse('garbage-collected structs are not part of the board layout')
    previous.stop = i + 1
    previous.end = struct.id.clock + struct.length
  }

  // Integration order of Yjs's integrateStructs: highest client first; an item whose origin is in
  // another client's structs of the update waits for them. What cannot be resolved would stay
  // pending in Yjs, so it is refused ([S27]).
  // One client (every update of a writer after its first sync): no order to sort, no stack to grow.
  const order = runs.size === 1 ? [previous?.client as number] : [...runs.keys()].sort((a, b) => a - b) // one run: `previous` is it
  const stack: ClientRun[] = []
  while (order.length > 0 || stack.length > 0) {
    let run = stack.at(-1)
    if (!run) {
      const client = order.pop() as number // the loop condition guarantees one
      run = runs.get(client) as ClientRun // every client in order has a run
      if (run.start + run.next >= run.stop) continue
      stack.push(run)
      run.onStack = true
    }
    const at = run.start + run.next
    const struct = at < run.stop ? structs[at] : undefined
    if (struct === undefined) {
      stack.pop()
      run.onStack = false
      continue
    }
    const local = Math.max(pass.docClock(run.client), placedEnd(run))
    const offset = local - struct.id.clock
    if (offset < 0) refuse(MISSING_STRUCTS)
    if (offset >= struct.length) {
      run.next++
      continue
    }
    const item = struct as Y.Item // Skip and GC were refused above
    const origin = offset === 0 ? item.origin : null
    if (origin !== null && !pass.available(origin.client, origin.clock)) {
      const dependency = runs.get(origin.client)
      if (origin.client === run.client || !dependency || dependency.onStack || origin.clock >= dependency.end) {
        refuse(MISSING_STRUCTS)
      }
      const next = dependency as ClientRun // checked just above
      stack.push(next)
      next.onStack = true
      continue
    }
    pass.place(run, item, offset)
    run.next++
  }

  const deletes = resolveDeletes(doc, decoded.ds, pass, limits)
  // Entries the update inserts and deletes itself never become live.
  const removed = deletes.ownEntries
  const { inserts, insertIds } = pass
  const liveInserts = removed === undefined ? inserts : inserts.filter((_, i) => !removed.has(i))
  const liveIds = removed === undefined ? insertIds : insertIds.filter((_, i) => !removed.has(i))
  const ops: UpdateOps = { inserts: liveInserts, insertIds: liveIds, deletes: deletes.entries }
  if (pass.schema) ops.schema = pass.schema
  return { ok: true, ops, clients: pass.clients, entries: liveInserts.length, work: pass.work }
}

/**
 * What the structural pass has read of one update so far, and its steps. A class, not closures
 * over {@link inspect}'s variables: seven closures and their context were made for every update.
 */
class StructuralPass {
  private readonly store: Y.Doc['store']
  readonly recordsType: RootType
  readonly metaType: RootType
  /** Each client's run of the update's structs. */
  readonly runs = new Map<number, ClientRun>()
  /** Struct visits charged so far ({@link charge}). */
  work = 0
  /** Replaced by a one-element array at the first push ({@link addInsert}): pushing into `[]` makes room for 17. */
  inserts: LogEntry[] = []
  insertIds: EntryId[] = []
  private recordItems = 0
  private metaItems = 0
  schema: { value: unknown } | undefined
  clients: number[] = []
  /**
   * Scans already charged, by origin's client and clock: the doc does not change during the
   * inspection. Made on the second scan that walks (an append after the doc's last item walks nothing).
   */
  private scanned: Map<number, Map<number, number>> | undefined
  /** The first walking scan's origin and steps (steps -1: none yet): most updates walk once, and make no maps for it. */
  private firstScanClient = 0
  private firstScanClock = 0
  private firstScanSteps = -1

  constructor(
    doc: Y.Doc,
    private readonly limits: UpdateLimits,
  ) {
    this.store = doc.store
    this.recordsType = doc.share.get(DOC_KEYS.records)
    this.metaType = doc.share.get(DOC_KEYS.meta)
  }

  docClock(client: number): number {
    return Y.getState(this.store, client)
  }

  available(client: number, clock: number): boolean {
    return clock < Math.max(this.docClock(client), placedEnd(this.runs.get(client)))
  }

  /** The accepted update item holding `id`, if any. */
  private placedAt(client: number, clock: number): Placed | undefined {
    const placed = this.runs.get(client)?.placed
    if (placed === undefined) return undefined
    let lo = 0
    let hi = placed.length - 1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const p = placed[mid] as Placed // lo <= mid <= hi are in range
      if (clock < p.clock) hi = mid - 1
      else if (clock >= p.clock + p.length) lo = mid + 1
      else return p
    }
    return undefined
  }

  charge(n: number): void {
    this.work += n
    if (this.work > this.limits.maxWork) refuse(`update too costly to integrate (over ${this.limits.maxWork} steps)`)
  }

  /** [S27] Struct visits of Yjs's conflict scan for an item after doc item `left` (holding `origin`; rightOrigin null). */
  private docScan(origin: Y.ID, left: Y.Item): number {
    const split = origin.clock < left.id.clock + left.length - 1
    if (!split && left.right === null) return 0
    if (this.firstScanSteps >= 0 && this.firstScanClient === origin.client && this.firstScanClock === origin.clock) return this.firstScanSteps
    let ofClient = this.scanned?.get(origin.client)
    const known = ofClient?.get(origin.clock)
    if (known !== undefined) return known
    const steps = this.walkScan(origin, left, split)
    if (this.firstScanSteps < 0) {
      this.firstScanClient = origin.client
      this.firstScanClock = origin.clock
      this.firstScanSteps = steps
      return steps
    }
    if (!ofClient) (this.scanned ??= new Map()).set(origin.client, (ofClient = new Map()))
    ofClient.set(origin.clock, steps)
    return steps
  }

  private walkScan(origin: Y.ID, left: Y.Item, split: boolean): number {
    // The walk of Item.integrate: on while the next item descends from the origin or from an item
    // already passed (ignoring its client-id tie-break, which only ends it earlier).
    const passed = new Set<Y.AbstractStruct>([left])
    let steps = split ? 1 : 0
    for (let o = left.right; o !== null; o = o.right) {
      steps++
      if (this.work + steps > this.limits.maxWork) this.charge(steps)
      passed.add(o)
      const from = o.origin
      if (from === null) break
      if (Y.compareIDs(from, origin)) continue
      if (from.clock < this.docClock(from.client) && passed.has(Y.getItem(this.store, from))) continue
      break
    }
    return steps
  }

  /** Accepts one new item (clocks from `offset` on are new) or refuses the update. */
  place(run: ClientRun, item: Y.Item, offset: number): void {
    const limits = this.limits
    if (item.rightOrigin !== null) refuse('only appends are allowed (an item has a right origin)')
    // Yjs cuts what the doc already has and continues from the client's previous clock.
    const origin = offset > 0 ? Y.createID(item.id.client, item.id.clock + offset - 1) : item.origin
    let where: Where
    let parentSub: string | null
    let cost: number
    if (origin === null) {
      const parent: unknown = item.parent
      if (parent === DOC_KEYS.records) where = 'records'
      else if (parent === DOC_KEYS.meta) where = 'meta'
      else return refuse('update touches a type outside the board layout')
      parentSub = item.parentSub
      // Yjs scans from the first item of the list (or of the map key).
      if (where === 'records') cost = countRightUpTo(this.recordsType?._start ?? null, limits.maxWork - this.work) + this.recordItems
      else cost = countLeftUpTo((parentSub === null ? undefined : this.metaType?._map.get(parentSub)) ?? null, limits.maxWork - this.work)
    } else {
      const own = this.placedAt(origin.client, origin.clock)
      if (own) {
        where = own.where
        parentSub = own.parentSub
        cost = 1 + (where === 'records' ? this.recordItems - own.order : 0)
      } else {
        const left = Y.getItem(this.store, origin)
        if (!(left instanceof Y.Item)) return refuse('update builds on a removed struct')
        if (left.parent === this.recordsType && this.recordsType !== undefined) where = 'records'
        else if (left.parent === this.metaType && this.metaType !== undefined) where = 'meta'
        else return refuse('update touches a type outside the board layout')
        parentSub = left.parentSub
        cost = this.docScan(origin, left) + (where === 'records' ? this.recordItems : 0)
      }
    }
    this.charge(cost)
    const content = item.content
    const isDeleted = content instanceof Y.ContentDeleted
    if (!isDeleted && !(content instanceof Y.ContentAny)) refuse('only plain values (ContentAny) are allowed in the board layout')
    const length = item.length - offset
    let entryStart = this.inserts.length
    if (where === 'records') {
      if (parentSub !== null) refuse('the record log has no keys')
      if (content instanceof Y.ContentAny) {
        entryStart = this.inserts.length
        for (let i = offset; i < content.arr.length; i++) {
          const entry: unknown = content.arr[i]
          if (!isLogEntryShape(entry)) refuse('a record-log entry is not [recordId, field, value]')
          this.addInsert(entry as LogEntry, { client: item.id.client, clock: item.id.clock + i }) // checked just above
        }
        if (this.inserts.length > limits.maxEntries) refuse(`update too large: over ${limits.maxEntries} entries`)
      }
      this.recordItems++
    } else {
      if (parentSub !== SCHEMA_KEY) refuse('only the schema may be set in the board metadata')
      if (++this.metaItems > MAX_META_ITEMS) refuse('too many metadata changes in one update')
      if (content instanceof Y.ContentAny) {
        if (content.arr.length !== 1) refuse('a metadata value is one value')
        this.schema = { value: content.arr[0] }
      }
    }
    const placed: Placed = { clock: item.id.clock + offset, length, where, parentSub, order: this.recordItems, entryStart }
    if (run.placed === undefined) run.placed = [placed]
    else run.placed.push(placed)
    if (this.clients.length === 0) this.clients = [item.id.client]
    else if (this.clients.at(-1) !== item.id.client) this.clients.push(item.id.client)
  }

  private addInsert(entry: LogEntry, id: EntryId): void {
    if (this.inserts.length === 0) {
      this.inserts = [entry]
      this.insertIds = [id]
    } else {
      this.inserts.push(entry)
      this.insertIds.push(id)
    }
  }
}

function isLogEntryShape(entry: unknown): boolean {
  return (
    Array.isArray(entry) &&
    entry.length === 3 &&
    typeof entry[0] === 'string' &&
    typeof entry[1] === 'string' &&
    isJsonValue(entry[2], 0)
  )
}

/** [S27] The delete set: every range must name clocks the doc or the update has; resolved to live entries. */
function resolveDeletes(doc: Y.Doc, ds: DecodedUpdate['ds'], pass: StructuralPass, limits: UpdateLimits): { entries: EntryId[]; ownEntries: Set<number> | undefined } {
  const store = doc.store
  const { runs, recordsType, metaType } = pass
  const setsSchema = pass.schema !== undefined
  const entries: EntryId[] = []
  // Made when the update deletes an entry it inserts itself (rare: a client's transaction is merged first).
  let ownEntries: Set<number> | undefined
  let ranges = 0
  for (const [client, items] of ds.clients) {
    ranges += items.length
    if (ranges > limits.maxDeleteRanges) refuse(`update too large: over ${limits.maxDeleteRanges} delete ranges`)
    const docEnd = Y.getState(store, client)
    const run = runs.get(client)
    const known = Math.max(docEnd, placedEnd(run))
    const structs = store.clients.get(client)
    for (const { clock, len } of items) {
      if (len === 0) continue
      const end = clock + len
      if (end > known) refuse(MISSING_DELETED_STRUCTS)
      if (clock < docEnd && structs) {
        // What Yjs walks to apply this range, deleted structs included.
        for (let i = Y.findIndexSS(structs, clock); i < structs.length; i++) {
          const struct = structs[i] as Y.Item | Y.GC // i < length
          if (struct.id.clock >= end) break
          pass.charge(1)
          if (!(struct instanceof Y.Item) || struct.deleted) continue
          if (struct.parent === recordsType && recordsType !== undefined) {
            if (!struct.countable) continue
            const from = Math.max(clock, struct.id.clock)
            const to = Math.min(end, struct.id.clock + struct.length)
            for (let c = from; c < to; c++) entries.push({ client, clock: c })
          } else if (struct.parent === metaType && metaType !== undefined && struct.parentSub === SCHEMA_KEY && setsSchema) {
            // Setting the schema deletes its previous value.
          } else {
            refuse(struct.parent === metaType ? 'only setting the schema may delete board metadata' : 'update deletes outside the board layout')
          }
        }
      }
      if (end > docEnd && run) {
        // The update's own items: their entries never become live.
        for (const placed of run.placed ?? NOTHING_PLACED) {
          if (placed.where !== 'records' || placed.clock + placed.length <= clock || placed.clock >= end) continue
          pass.charge(1)
          const from = Math.max(clock, placed.clock)
          const to = Math.min(end, placed.clock + placed.length)
          for (let c = from; c < to; c++) (ownEntries ??= new Set()).add(placed.entryStart + (c - placed.clock))
        }
      }
    }
  }
  return { entries, ownEntries }
}

const NOTHING_PLACED: readonly Placed[] = []

/** The clock after the last update item accepted of `run`'s client (0 if none). */
function placedEnd(run: ClientRun | undefined): number {
  const last = run?.placed?.at(-1)
  return last === undefined ? 0 : last.clock + last.length
}

/** Items from `start` rightwards, counted up to `limit + 1` (over the limit is refused anyway). */
function countRightUpTo(start: Y.Item | null, limit: number): number {
  let n = 0
  for (let item = start; item !== null && n <= limit; item = item.right) n++
  return n
}

/** {@link countRightUpTo} leftwards. */
function countLeftUpTo(start: Y.Item | null, limit: number): number {
  let n = 0
  for (let item = start; item !== null && n <= limit; item = item.left) n++
  return n
}

/** True for a JSON value (what tldraw records hold): no binary, undefined, bigint or deep nesting. */
function isJsonValue(value: unknown, depth: number): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true
  if (typeof value === 'number') return Number.isFinite(value)
  if (depth >= MAX_VALUE_DEPTH || typeof value !== 'object') return false
  if (Array.isArray(value)) return value.every((v) => isJsonValue(v, depth + 1))
  if (ArrayBuffer.isView(value)) return false
  for (const key in value) if (!isJsonValue((value as Record<string, unknown>)[key], depth + 1)) return false // an object, checked above
  return true
}
