import type { TLRecord, TLStore } from '@tldraw/tlschema'
import { isEqual, type JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import { readStoredSchema, writeStoredSchema, type RecordChanges } from '../../shared/docLayout.ts'
import { isSelfBinding, parentFault, PARENT_FAULT_WORDS } from '../../shared/parentChains.ts'
import { recordMigrator, relateStoredSchema } from '../../shared/recordMigration.ts'
import { singleDocSource, type RecordSource } from './internalParts.ts'
import { measureLabelsAhead } from './measureLabelsAhead.ts'
import { rebaseLocalEdit, shareUnchanged } from './remoteRecords.ts'
import { timeBudget } from './timeBudget.ts'

/**
 * Milliseconds of one browser task spent on new remote records: putting them into the store, where
 * tldraw lays out each new shape (its text measured in the DOM), and React mounting them right
 * after, in the same task. A large batch (a restore, a late join, a pasted board) goes in over
 * several tasks, one store change each, sized from what the tasks before cost; below the 50 ms
 * of a long task, with room for a machine busier than measured. The frame rendering a task's new
 * shapes (style, layout, paint) is a task of its own, held to the same budget.
 */
export const CREATE_BUDGET_MS = 20

/**
 * A batch of new records goes in over at most about this many tasks, however busy the machine.
 * Each task pays a fixed cost (tldraw's flush, React's re-render of the whole shape list, a frame),
 * and on a busy machine that cost alone fills {@link CREATE_BUDGET_MS}: sizing tasks by the budget
 * alone then put in one or two records a task, and 1,000 new shapes took 14 s at a load of 11 on
 * 2 cores, where tldraw's one long task took about 3 (docs/sync-server-targets.md, 2026-12-04,
 * twelfth session). No task is short on such a machine anyway; this keeps the whole batch short.
 */
export const MAX_CREATE_TASKS = 40

/**
 * Milliseconds of one browser task spent on remote removals: taking them out of the store, where
 * tldraw's reactors of each removed shape run once more, and React unmounting them right after,
 * in the same task. A large removal (a teammate's select-all delete, a restore) goes out over
 * several tasks, one store change each, like new records ({@link CREATE_BUDGET_MS}). More than
 * for new records: every further task adds its fixed cost and a frame's rendering to the whole
 * removal, and with 20 ms tasks 1,000 removals took about as long as tldraw's one task, with 30 ms
 * tasks less (docs/sync-server-targets.md, 2026-12-04).
 */
export const REMOVE_BUDGET_MS = 30

/** Per bound store: writes the store's versions of records into its document (see {@link writeStoreRecordsToDocument}). */
const rewriters = new WeakMap<TLStore, (ids: readonly TLRecord['id'][]) => void>()

/**
 * Writes the store's own versions of records `ids` into the document bound to `store`, as a local
 * edit of this page, for a record the store keeps other than the document holds: a side effect
 * that kept part of a remote change out of the store (the text a typist holds,
 * `textShapeLocks.ts`) tells the document and every other page this way. Does nothing for a store
 * no binding holds, or ids it does not have.
 */
export function writeStoreRecordsToDocument(store: TLStore, ids: readonly TLRecord['id'][]): void {
  rewriters.get(store)?.(ids)
}

/** The next animation frame where the page has one; at once elsewhere (Node, unit tests). */
const nextFrame = (apply: () => void): void => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => apply())
  else apply()
}

/**
 * A new task as soon as the browser has run what waits (input, rendering), in a page: a message to
 * itself, as React's scheduler does, which unlike a chained timeout is not clamped to 4 ms. At once
 * elsewhere, like {@link nextFrame}.
 */
const nextTask = ((): ((run: () => void) => void) => {
  if (typeof requestAnimationFrame !== 'function' || typeof MessageChannel !== 'function') return (run) => run()
  const queue: Array<() => void> = []
  const channel = new MessageChannel()
  channel.port1.onmessage = () => queue.shift()?.()
  return (run) => {
    queue.push(run)
    channel.port2.postMessage(null)
  }
})()

/**
 * `apply` in a new task ({@link nextTask}), given how long the page took to render a frame in
 * between if it did (from its animation frame callbacks to the task: style, layout and paint of
 * what the task before added). Not paced by frames: waiting for the next one would leave the page
 * idle between a short task and the frame. At once elsewhere, like {@link nextFrame}, without a time.
 */
const nextTaskTimingFrame = (apply: (frameMs?: number) => void): void => {
  if (typeof requestAnimationFrame !== 'function') return apply()
  let frameFrom: number | undefined
  const frame = requestAnimationFrame(() => {
    frameFrom = performance.now()
  })
  nextTask(() => {
    cancelAnimationFrame(frame)
    apply(frameFrom === undefined ? undefined : performance.now() - frameFrom)
  })
}

/**
 * Once what the current task has queued has run, in a page: a microtask queued after the store
 * change, so after React's render of it (tldraw's components re-render synchronously, in a
 * microtask React queues when the store notifies them). At once elsewhere, like {@link nextFrame}.
 */
const afterRender = (run: () => void): void => {
  if (typeof requestAnimationFrame === 'function') queueMicrotask(run)
  else run()
}

/** Options of {@link bindStoreToYDoc}. */
export interface BindStoreOptions {
  /**
   * Called for each record of the document that cannot be loaded: invalid, of an unknown or
   * non-document type, or written by a newer Keyplan. The record is skipped; everything else
   * keeps syncing.
   */
  onInvalidRecord?: (id: string, error: Error) => void
  /**
   * Runs `apply` when remote changes should reach the store; remote changes arriving before it
   * runs are applied together. Default: the next animation frame in a browser, at once elsewhere.
   */
  scheduleApply?: (apply: () => void) => void
  /**
   * Runs `apply` in a later task, to go on with a batch of removals or new records that did not fit
   * one task's {@link REMOVE_BUDGET_MS} or {@link CREATE_BUDGET_MS}; passing how long the page took
   * to render a frame in between (`frameMs`), if it did. Default: a new task in a browser, at once
   * elsewhere.
   */
  scheduleSlice?: (apply: (frameMs?: number) => void) => void
  /** The clock that sizes those slices, in milliseconds. Default: `performance.now`. */
  now?: () => number
  /**
   * Where records are read and written (issue 13): by default `doc` alone; the team's pages pass
   * `mergedPartsSource(doc, internalDoc, …)` (`internalParts.ts`). `doc` keeps the stored schema.
   */
  source?: RecordSource
}

/** Whether a store record belongs in the board's document: not tldraw's `user` records (see {@link bindStoreToYDoc}). */
function isBoardRecord(record: TLRecord): boolean {
  return record.typeName !== 'user'
}

/**
 * Keeps a tldraw store and a board's Y.Doc in sync (layout: `shared/docLayout.ts`).
 *
 * - On bind, loads the document's records into the store, migrated from the schema stored in
 *   the document. If that schema is older than ours, the document is upgraded: migrated records
 *   and our schema are written back in one transaction.
 * - Each local store change (source `user`, scope `document`: never instance, camera, pointer or
 *   presence) becomes one Yjs transaction, writing only the fields that changed. The first write
 *   into a document without a stored schema stores ours with it. tldraw's `user` records (the
 *   person's name and colour, which its editor puts into the store on every mount) stay in this
 *   page's store: written into the board, every visit changed the board, so the board seemed edited
 *   (a session-end snapshot and a fresher plan for someone who only looked), and every visitor's
 *   name stayed in the board. The people in a workshop are its presence (`useRoomControl`).
 * - Remote changes go into the store through `mergeRemoteChanges`, validated record by record
 *   (new ones and those of another stored schema by the binding, changes of records the store has
 *   by the store, against the current record): an invalid record is reported through
 *   `onInvalidRecord` and skipped, the others apply. They are applied once per animation frame
 *   (changes arriving within a frame together); into a store without shapes (the board is
 *   loading) at once. Removals go out over as many tasks as they need, {@link REMOVE_BUDGET_MS}
 *   and one store change each, bindings first, then shapes from the top of the page down (children
 *   before their parents). Records new to the store then go in over as many tasks as their layout
 *   needs, {@link CREATE_BUDGET_MS} and one store change each (their labels measured ahead in one
 *   pass, `measureLabelsAhead.ts`), sized so that the frame that renders a task's new shapes fits
 *   the budget too, and in at most about {@link MAX_CREATE_TASKS}
 *   tasks on a machine too busy for any; parents before children and bindings after shapes; a change of a
 *   record that refers to one still waiting (its parent, a binding's end) waits with it, and each
 *   slice takes the latest remote version of its records. A remote record that refers to one the
 *   store does not have and no remote change has brought yet (a line's binding before its card: the
 *   board's two documents arrive as separate changes) waits until that one arrives, so tldraw never
 *   repairs it and this page never writes a repair of another page's change. A shape that is its own
 *   parent or in a parent cycle, a binding of a shape to itself, and what hangs from them (tldraw's
 *   runtime freezes or throws on them; stored before the server refused them, docs/server-rules.md
 *   [R11]) are reported once and wait the same way, at load too, until a change fixes them. Nested objects a remote change leaves
 *   equal stay the store's own objects, so tldraw keeps what it caches by identity (geometry,
 *   rendered text). A local edit of a record with a remote change still waiting is replayed on
 *   top of that change.
 * - Bindings tldraw cuts loose in the store when a remote change removes a shape they end on, but
 *   the document keeps (a card a guest's page loses when the team marks it internal), go back in,
 *   with their arrows as the document has them, when the shape comes back.
 * - Nothing echoes: the binding ignores its own transactions, and the store does not report
 *   remote merges to `user` listeners.
 *
 * Bind a new, empty store. Returns a function that unbinds.
 * @example
 * const store = createBoardStore()
 * const unbind = bindStoreToYDoc(store, doc, { onInvalidRecord: (id, e) => console.warn(id, e) })
 */
export function bindStoreToYDoc(store: TLStore, doc: Y.Doc, opts: BindStoreOptions = {}): () => void {
  const schema = store.schema
  // Our own transactions carry this origin, so the observer can skip them.
  const origin = Symbol('bindStoreToYDoc')
  const report = (id: string, error: Error) => opts.onInvalidRecord?.(id, error)
  const source = opts.source ?? singleDocSource(doc)

  /**
   * Migrates and validates `records`; reports and drops the ones that fail. With `knownGood`, a
   * record the store has first keeps the store's nested objects it leaves equal; if it is of the
   * document's own schema and type it is left to the store's validation on put (which checks only
   * what changed), otherwise only what changed is validated here (a migration may rewrite it).
   */
  const migrateAll = (records: Iterable<JsonObject>, knownGood = false): TLRecord[] => {
    const stored = readStoredSchema(doc)
    const migrate = recordMigrator(schema, stored)
    const sameSchema = relateStoredSchema(schema, stored) === 'same'
    const valid: TLRecord[] = []
    for (const record of records) {
      const current = knownGood ? store.get(record.id as TLRecord['id']) : undefined // a record id from the document
      const shared = current ? shareUnchanged(current as unknown as JsonObject, record) : record // records are JSON
      // A change of a record of our schema: the store validates it on put against `current`, as
      // this would (1,000 remote moves validated twice cost ~5 ms), and `applyToStore` reports one
      // it refuses.
      if (current && (shared === (current as unknown as JsonObject) || (sameSchema && shared.typeName === current.typeName))) {
        valid.push(shared as unknown as TLRecord) // records are JSON
        continue
      }
      const result = current ? migrate(shared, current) : migrate(record)
      if (result.ok) valid.push(result.record)
      else report(String(record.id), result.error)
    }
    return valid
  }

  /**
   * Bindings tldraw took out of the store with a shape a remote change removed, though the
   * document keeps them: by id, the shapes at their ends. A guest's page loses a card the team
   * marks internal while the lines to it stay in the shared document; tldraw cuts them loose in
   * the store (its own handler, in the remote change, so nothing is written), and when the card
   * comes back (marked visible again) nothing in the document changed for them. They go back into
   * the store, with their arrows as the document has them, once both ends are there again.
   */
  const cutLoose = new Map<string, { fromId: string; toId: string }>()
  // Every binding a remote change takes out; those the document removed itself are dropped after it.
  const stopCutting = store.sideEffects.registerAfterDeleteHandler('binding', (binding, from) => {
    if (from === 'remote') cutLoose.set(binding.id, { fromId: binding.fromId, toId: binding.toId })
  })
  /** Puts back the bindings cut loose whose ends are both in the store again (after `arrivedIds` came in). */
  const bindAgain = (arrivedIds: ReadonlySet<string>) => {
    const due = [...cutLoose].filter(([, ends]) => (arrivedIds.has(ends.fromId) || arrivedIds.has(ends.toId)) && store.has(ends.fromId as TLRecord['id']) && store.has(ends.toId as TLRecord['id']))
    if (due.length === 0) return
    const records = source.readAll()
    const put: JsonObject[] = []
    for (const [id, ends] of due) {
      cutLoose.delete(id)
      const binding = records.get(id)
      const arrow = records.get(ends.fromId)
      if (!binding || store.has(id as TLRecord['id'])) continue // gone from the document too, or back already
      put.push(binding)
      if (arrow) put.push(arrow)
    }
    if (put.length > 0) applyToStore(migrateAll(put, true), [], true)
  }

  /** `alreadyShared`: `records` keep the store's unchanged objects already (`migrateAll` with `knownGood`). */
  const applyToStore = (records: TLRecord[], remove: string[], alreadyShared = false) => {
    const removable = remove.filter((id) => store.has(id as TLRecord['id'])) // ids of removed document records
    const put: TLRecord[] = []
    for (const record of records) {
      const current = store.get(record.id)
      const shared = current && !alreadyShared ? shareUnchanged(current, record) : record
      if (shared !== current) put.push(shared)
    }
    if (put.length === 0 && removable.length === 0) return
    const measured = measureLabelsAhead(store, put)
    try {
      store.mergeRemoteChanges(() => {
        if (removable.length > 0) store.remove(removable as TLRecord['id'][]) // filtered by store.has above
        try {
          store.put(put)
        } catch {
          // Records were validated above, but the store's side effects may still reject one: put
          // them one by one so that a single bad record cannot block the rest.
          for (const record of put) {
            try {
              store.put([record])
            } catch (error) {
              report(record.id, error instanceof Error ? error : new Error(String(error)))
            }
          }
        }
      })
    } finally {
      measured()
    }
    // The document's own removals are not cut loose: they are gone for good.
    for (const id of removable) cutLoose.delete(id)
    if (cutLoose.size > 0 && put.length > 0) bindAgain(new Set(put.map((record) => String(record.id))))
  }

  /**
   * Loads every record of the document (and drops `removed` from the store), upgrading the
   * document first if its schema is older.
   */
  const loadAll = (removed: string[] = []) => {
    const stored = readStoredSchema(doc)
    const records = source.readAll()
    if (records.size === 0) return applyToStore([], removed)
    const migrated = migrateAll(records.values())
    // [R11] A shape in a parent cycle, a binding of a shape to itself, and what hangs from them wait
    // with the remote changes, never in the store: tldraw would hang (written before [R10]).
    const held = heldRecords(migrated as unknown as JsonObject[], faultyRecords(store, migrated as unknown as JsonObject[])) // records are JSON
    for (const id of held) {
      const record = records.get(id)
      if (record) pending.set(id, record)
    }
    const valid = held.size === 0 ? migrated : migrated.filter((record) => !held.has(record.id))
    if (relateStoredSchema(schema, stored) === 'older') {
      const migrated = valid.filter((record) => !isEqual(record, records.get(record.id)))
      doc.transact(() => {
        source.write({ put: migrated as unknown as JsonObject[], remove: [] }, origin) // records are JSON
        writeStoredSchema(doc, schema.serialize(), origin)
      }, origin)
    }
    applyToStore(valid, removed)
  }

  /** Remote changes not in the store yet: each record's latest version, or null once removed. */
  const pending = new Map<string, JsonObject | null>()
  /** [R11] Ids of records held for what {@link faultyRecords} found, and said so: each is reported once until it passes. */
  const faultsSaid = new Set<string>()
  /** Ids of `records` tldraw must not get ([R11]), reported once each. */
  const faultyRecords = (into: TLStore, records: readonly JsonObject[]): Set<string> => {
    const faulty = recordFaults(into, records)
    for (const id of faultsSaid) if (!faulty.has(id)) faultsSaid.delete(id)
    for (const [id, why] of faulty) {
      if (faultsSaid.has(id)) continue
      faultsSaid.add(id)
      report(id, new Error(`${id} ${why}`))
    }
    return new Set(faulty.keys())
  }
  /** Ids of pending records new to the store, in the order they go in (from `creating` on). */
  let creates: string[] = []
  let creating = 0
  /** Ids of pending removals of records the store has, in the order they go out (from `removing` on). */
  let removes: string[] = []
  let removing = 0
  /** Remote changes arrived since `creates` and `removes` were ordered: sort `pending` again. */
  let arrived = false
  let scheduled = false
  let unbound = false
  const scheduleApply = opts.scheduleApply ?? nextFrame
  const scheduleSlice = opts.scheduleSlice ?? nextTaskTimingFrame
  const now = opts.now ?? (() => performance.now())
  const budget = timeBudget({ budgetMs: CREATE_BUDGET_MS })
  // A removal costs a few hundredths of a millisecond where a create costs a millisecond or more:
  // the first guess lets the first task of a batch take a few hundred, not ten; and as a task's
  // fixed cost (tldraw's flush, React's commit) can then outweigh its removals on a busy machine,
  // a task takes at least 100 (a few milliseconds of work on a quiet one).
  const removeBudget = timeBudget({ budgetMs: REMOVE_BUDGET_MS, firstGuessMs: 0.05, maxItems: 2_000, minItems: 100 })
  const shapeIds = store.query.ids('shape')
  /** New records put in since the page last rendered a frame, by tasks that are not frames (0 otherwise). */
  let created = 0

  /** Puts the next `max` waiting new records into the store; returns how many it took. */
  const createNext = (max: number): number => {
    const put: JsonObject[] = []
    while (put.length < max && creating < creates.length) {
      const id = creates[creating++] as string // within bounds
      const record = pending.get(id)
      if (!record) continue // created here meanwhile (the local record won)
      pending.delete(id)
      put.push(record)
    }
    if (put.length > 0) applyRemote({ put, remove: [] })
    return put.length
  }

  /** The next `max` waiting removals, still removed in `pending` (a peer may have put one back). */
  const removeNext = (max: number): string[] => {
    const remove: string[] = []
    while (remove.length < max && removing < removes.length) {
      const id = removes[removing++] as string // within bounds
      if (pending.get(id) !== null) continue // put back meanwhile, or removed here already
      pending.delete(id)
      remove.push(id)
    }
    return remove
  }

  /**
   * Applies the pending updates, then removals and new records for one task's budget, one store
   * change per task (removals first); all of them when `everything`. `inFrame`: the task is an
   * animation frame's callback, which renders what it puts in before it ends. Returns whether
   * records are left for another task.
   */
  const applyPending = (everything: boolean, inFrame = false): boolean => {
    const started = now()
    // Local edits the store has not reported yet go into the document first, replayed on top of
    // the pending remote changes; otherwise the remote version would overwrite them in the store
    // while the document keeps them.
    store._flushHistory()
    let updates: JsonObject[] = []
    if (arrived) {
      arrived = false
      const put: JsonObject[] = []
      const remove: string[] = []
      const create: JsonObject[] = []
      for (const [id, record] of pending) {
        if (record === null) {
          if (store.has(id as TLRecord['id'])) remove.push(id) // a record id from the document
          else pending.delete(id)
        } else if (store.has(id as TLRecord['id'])) put.push(record) // a record id from the document
        else create.push(record)
      }
      // A record that refers to one the store does not have and no remote change brings (yet) waits
      // in `pending` until it arrives: the board's two documents reach this page as separate
      // changes (an internal line and its bindings before the cards they end on, issue 13), and
      // tldraw would repair such a record (unbind the line) and this page write the repair back.
      const arriving = [...create, ...put]
      const held = heldRecords(arriving, faultyRecords(store, arriving), store)
      const waiting = new Set(create.map((record) => String(record.id)))
      for (const record of put) {
        if (!held.has(String(record.id))) (refersTo(record, waiting) ? create : updates).push(record)
      }
      for (const record of updates) pending.delete(String(record.id))
      removes = inRemoveOrder(store, remove)
      removing = 0
      creates = inCreateOrder(create.filter((record) => !held.has(String(record.id)))).map((record) => String(record.id))
      creating = 0
    }
    if (everything) {
      if (updates.length > 0 || removing < removes.length) applyRemote({ put: updates, remove: removeNext(Infinity) })
      createNext(Infinity)
      return false
    }
    if (updates.length > 0 || removing < removes.length) {
      // The updates and as many removals as the task's budget holds, in one store change.
      const removesFrom = now()
      const remove = removing < removes.length ? removeNext(removeBudget.items(removesFrom - started)) : []
      applyRemote({ put: updates, remove })
      if (remove.length > 0) {
        // Their cost is the store's work and React's unmounting, which runs after this.
        afterRender(() => removeBudget.measured(remove.length, now() - removesFrom))
        return removing < removes.length || creating < creates.length // new records in the next task
      }
    }
    const createsFrom = now()
    // In a frame's callback, the frame renders the new records before the task ends: the first
    // slice of a large batch is sized for both (it used to fill the budget with store work and
    // React's render alone, and its frame made it a long task).
    const count = createNext(Math.max(budget.items(createsFrom - started, inFrame), Math.ceil(creates.length / MAX_CREATE_TASKS)))
    // The records' cost is the store's work and React's render of them, which runs after this.
    if (count > 0) afterRender(() => budget.measured(count, now() - createsFrom))
    // Their rendering follows in the next frame, a task of its own, measured before the next slice.
    created = inFrame ? 0 : created + count
    return creating < creates.length
  }

  const schedule = () => {
    if (scheduled || unbound) return
    scheduled = true
    scheduleApply(() => {
      scheduled = false
      applySlices(true)
    })
  }

  /**
   * One task's share of the pending changes; the rest in the next task. `inFrame`: see
   * `applyPending`. `frameMs`: how long the frame rendered since the last task took.
   */
  const applySlices = (inFrame: boolean, frameMs?: number) => {
    if (unbound) return
    if (frameMs !== undefined) {
      if (created > 0) budget.measuredFrame(created, frameMs)
      created = 0
    }
    if (!applyPending(false, inFrame)) return
    scheduled = true
    scheduleSlice((ms) => {
      scheduled = false
      applySlices(false, ms)
    })
  }

  const applyRemote = (changes: RecordChanges) => {
    // A peer (or the first sync) brought records stored with an older schema: upgrade it all.
    if (relateStoredSchema(schema, readStoredSchema(doc)) === 'older') return loadAll(changes.remove)
    applyToStore(migrateAll(changes.put, true), changes.remove, true)
  }

  const receive = (changes: RecordChanges) => {
    for (const record of changes.put) pending.set(String(record.id), record)
    for (const id of changes.remove) pending.set(id, null)
    arrived = true
    if (relateStoredSchema(schema, readStoredSchema(doc)) === 'older') {
      // Rare (an older peer, or the first sync of an old board): upgrade everything at once.
      const removed = [...pending].filter(([, record]) => record === null).map(([id]) => id)
      pending.clear()
      creates = []
      creating = 0
      removes = []
      removing = 0
      arrived = false
      return loadAll(removed)
    }
    // Nothing is on screen yet (the board is loading): show it whole as soon as possible.
    if (!scheduled && shapeIds.get().size === 0) applyPending(true)
    else schedule()
  }

  loadAll()

  const stopObserving = source.observe((changes, tr) => {
    if (tr.origin !== origin) receive(changes)
  })

  const rewrite = (ids: readonly TLRecord['id'][]) => {
    if (unbound) return
    const put = ids.flatMap((id) => store.get(id) ?? []).filter(isBoardRecord)
    if (put.length === 0) return
    doc.transact(() => source.write({ put: put as unknown as JsonObject[], remove: [] }, origin), origin) // records are JSON
  }
  rewriters.set(store, rewrite)

  const stopListening = store.listen(
    ({ changes }) => {
      const put: TLRecord[] = Object.values(changes.added).filter(isBoardRecord)
      for (const [from, to] of Object.values(changes.updated)) {
        if (!isBoardRecord(to)) continue
        const remote = pending.get(to.id)
        if (remote === undefined) put.push(to)
        else if (remote !== null) {
          // A peer changed this record and the store has not shown it yet: keep the peer's fields.
          const rebased = rebaseLocalEdit(remote, from as unknown as JsonObject, to as unknown as JsonObject) // records are JSON
          pending.set(to.id, rebased)
          put.push(rebased as unknown as TLRecord) // applied to the store with the pending changes
        } // else a peer removed it: the removal wins, as in the document (shared/docLayout.ts)
      }
      for (const record of Object.values(changes.added)) pending.delete(record.id)
      const remove = Object.values(changes.removed)
        .filter(isBoardRecord)
        .map((record) => record.id)
      for (const id of remove) pending.delete(id)
      if (put.length === 0 && remove.length === 0) return
      doc.transact(() => {
        if (!readStoredSchema(doc)) writeStoredSchema(doc, schema.serialize(), origin)
        source.write({ put: put as unknown as JsonObject[], remove }, origin) // records are JSON
      }, origin)
    },
    { source: 'user', scope: 'document' }
  )

  return () => {
    unbound = true
    if (rewriters.get(store) === rewrite) rewriters.delete(store)
    stopListening()
    stopObserving()
    stopCutting()
  }
}

/** The ids `record` refers to: a shape's parent, a binding's ends. */
function referents(record: JsonObject): string[] {
  if (record.typeName === 'binding') return [String(record.fromId), String(record.toId)]
  return record.typeName === 'shape' ? [String(record.parentId)] : []
}

/** Whether `record` refers to one of `ids`: as its parent, or as a binding's end. */
function refersTo(record: JsonObject, ids: ReadonlySet<string>): boolean {
  return referents(record).some((id) => ids.has(id))
}

/**
 * Ids of those of `records` that are in `faulty`, or refer to one of them, or (given `store`) to a
 * record neither `store` has nor `records` bring, or to one of `records` so held (a card inside a
 * frame still on its way, and that card's bindings).
 */
function heldRecords(records: readonly JsonObject[], faulty: ReadonlySet<string>, store?: TLStore): Set<string> {
  const arriving = new Set(records.map((record) => String(record.id)))
  const held = new Set<string>(faulty)
  const missing = (id: string) => held.has(id) || (store !== undefined && !arriving.has(id) && !store.has(id as TLRecord['id'])) // a record id from the document
  for (let changed = true; changed; ) {
    changed = false
    for (const record of records) {
      const id = String(record.id)
      if (held.has(id) || !referents(record).some(missing)) continue
      held.add(id)
      changed = true
    }
  }
  return held
}

/**
 * [R11] Those of `records` tldraw's runtime does not survive, with why: a shape whose parent chain
 * (through `records`, else the store's records) comes back to it, runs into a cycle or nests too
 * deep, and a binding whose ends are one shape (docs/server-rules.md [R10]). A chain's walk reads
 * at most `MAX_NESTING` records, most often none (a shape on the page).
 */
function recordFaults(store: TLStore, records: readonly JsonObject[]): Map<string, string> {
  const byId = new Map(records.map((record) => [String(record.id), record]))
  const lookup = (id: string): JsonObject | null => byId.get(id) ?? ((store.get(id as TLRecord['id']) as unknown as JsonObject | undefined) ?? null) // a record id from the document; records are JSON
  const faults = new Map<string, string>()
  for (const record of records) {
    const id = String(record.id)
    if (isSelfBinding(record)) faults.set(id, 'binds a shape to itself')
    else if (record.typeName === 'shape') {
      const fault = parentFault(id, record.parentId, lookup)
      if (fault) faults.set(id, PARENT_FAULT_WORDS[fault])
    }
  }
  return faults
}

/**
 * The ids of records `store` has, in an order it can remove them in, a part at a time, with every
 * state between two parts one the page can show and cheap to show: bindings first (an arrow's end
 * goes before the shape it ends on), then shapes from the top of the page down (tldraw numbers the
 * shapes it renders from the bottom up and re-renders every shape whose number changed: taking the
 * top ones first leaves the others' numbers alone; and a shape is above the shape it sits in, so
 * it goes first), then other records (pages).
 */
function inRemoveOrder(store: TLStore, ids: string[]): string[] {
  if (ids.length < 2) return ids
  /** A shape's place in tldraw's rendering order: its ancestors' `index` keys and its own, top-level first. */
  const place = (id: string): string[] => {
    const keys: string[] = []
    for (let at = store.get(id as TLRecord['id']); at?.typeName === 'shape' && keys.length <= ids.length; at = store.get(at.parentId as TLRecord['id'])) keys.push(at.index) // ids of the store's records
    return keys.reverse()
  }
  const bindings: string[] = []
  const shapes: Array<{ id: string; place: string[] }> = []
  const others: string[] = []
  for (const id of ids) {
    if (id.startsWith('binding:')) bindings.push(id)
    else if (id.startsWith('shape:')) shapes.push({ id, place: place(id) })
    else others.push(id)
  }
  shapes.sort((a, b) => comparePlaces(b.place, a.place))
  return [...bindings, ...shapes.map(({ id }) => id), ...others]
}

/** Rendering order of two shapes' places (see `inRemoveOrder`): negative when `a` is drawn first. */
function comparePlaces(a: string[], b: string[]): number {
  for (let i = 0; i < a.length && i < b.length; i++) {
    const [x, y] = [a[i] as string, b[i] as string] // within both
    if (x !== y) return x < y ? -1 : 1 // tldraw's index keys sort as plain strings
  }
  return a.length - b.length // a shape is drawn before what it holds
}

/**
 * `records` in an order the store can create them in: other records (pages) first, then shapes,
 * each after the shapes of `records` it sits in, then bindings (they need both ends).
 */
function inCreateOrder(records: JsonObject[]): JsonObject[] {
  const byId = new Map(records.map((record) => [String(record.id), record]))
  const depth = (record: JsonObject): number => {
    let d = 0
    for (let parent = byId.get(String(record.parentId)); parent && d < byId.size; parent = byId.get(String(parent.parentId))) d++
    return d
  }
  const rank = (record: JsonObject) => (record.typeName === 'binding' ? byId.size + 1 : record.typeName === 'shape' ? 1 + depth(record) : 0)
  return records
    .map((record) => ({ record, rank: rank(record) }))
    .sort((a, b) => a.rank - b.rank)
    .map(({ record }) => record)
}
