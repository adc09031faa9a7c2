import { atom, isEqual, type Atom, type JsonObject, type JsonValue, type TLBinding, type TLRecord, type TLShape, type TLShapeId, type TLStore } from 'tldraw'
import type { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { DOC_KEYS } from '../../shared/docLayout.ts'
import { parseFieldPath } from '../../shared/FieldIndex.ts'
import { LABELS } from '../../shared/shapes.ts'
import { FIELD_LABELS } from '../access/fieldLabels.ts'
import { PRESENCE_FIELD } from './presence.ts'

/**
 * Says so when an edit this page made offline loses to someone else's (issue 12). Card fields are
 * last-writer-wins per field (decision 001), and Yjs orders concurrent writes by client id, not by
 * time: a text typed offline can come back and be replaced by what a peer typed meanwhile. While
 * the page is not synced, every text field this person changes is recorded with the value they
 * gave it; once every document of the board has synced again, a recorded field whose value in the
 * documents (composed as the binding composes it) is no longer theirs has lost. The page then shows whose edit
 * won (the writer of the winning log entry, named by their presence) and the text that lost, to
 * copy. The same when the card or note is gone once synced (a colleague deleted it meanwhile, QA
 * q27b: the text vanished with it, without a word). No notice when the offline value stayed, when
 * nobody else changed the field, or when this person deleted the card themselves.
 *
 * An offline edit gives way to what someone changed meanwhile (QA q30a): Yjs keeps one of two
 * concurrent writes by client id, so about half the time a value typed offline came back and
 * silently replaced a colleague's newer one. Once synced, a field this page changed offline whose
 * value stayed although another person's entry for it was written meanwhile (two live entries: a
 * write that had seen the other would have deleted it) is written back to that person's value, and
 * this page announces its own edit as replaced, with its value to copy. So whoever was connected
 * keeps their edit, whatever the client ids; of two pages both offline, the first back keeps its.
 * Every field the side panel names counts (dates, choices, numbers), not only text.
 */

/** Card props (and a shape's own text) that are text a person types, with the label the side panel gives them. */
const TEXT_FIELDS: Readonly<Record<string, string>> = {
  name: 'Name',
  jobTitle: 'Job title',
  department: 'Department',
  owner: 'Owner',
  notes: 'Notes',
  title: 'Title',
  objective: 'Objective',
  measure: 'Measure',
  unit: 'Unit',
  strategy: 'Strategy',
  competitor: 'Competitor',
  row: 'Business unit',
  column: 'Offering',
  strengths: 'Strengths against us',
  weaknesses: 'Weaknesses against us',
  relationship: 'Relationship they hold',
  richText: 'Text',
}

/** The side panel's name of `prop` on a shape of `type`, or null for a prop no one edits by name (size, colour). */
export function fieldLabel(type: string, prop: string): string | null {
  const key = `${type}.${prop}`
  if (Object.hasOwn(FIELD_LABELS, key)) return FIELD_LABELS[key as keyof typeof FIELD_LABELS] // checked on the line
  return Object.hasOwn(TEXT_FIELDS, prop) ? (TEXT_FIELDS[prop] ?? null) : null
}

/** True when `prop` is text a person types (a name, notes), not a date, a choice or a number. */
export function isTypedText(prop: string): boolean {
  return Object.hasOwn(TEXT_FIELDS, prop)
}

/** The choices' labels by prop, for reading a choice back to the person who made it. */
const CHOICE_LABELS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  buyingRole: LABELS.buyingRole,
  influence: LABELS.influence,
  attitude: LABELS.attitude,
  kpiType: LABELS.kpiType,
  kind: LABELS.whitespaceKind,
  // An action's and an objective's statuses share the prop's name.
  status: { ...LABELS.status, ...LABELS.objectiveStatus },
}

/** An offline edit that lost: what the page shows. */
export interface LostOfflineEdit {
  key: string
  shapeId: string
  /** The prop that changed (`notes`, `richText`). */
  prop: string
  /** The field's label ("Notes", "Text"). */
  field: string
  /** The card or note it was on, as it reads now ("Ana Silva"). */
  on: string
  /** The value this person gave the field offline: text, or a shape's rich text. */
  mine: JsonValue
  /** Who wrote the value that won, when they are on the board; null otherwise. */
  by: string | null
  /** The card or note is no longer on the board (deleted meanwhile, or made internal for a guest): nothing won, it went. */
  gone: boolean
  /** The field was internal when this person changed it offline and was made customer-visible meanwhile: their text stayed internal, unused. */
  madeVisible?: boolean
  /** This person deleted the card or note offline and someone changed it (`field` 'changed') or bound a line to it ('line') meanwhile: it was put back. */
  undone?: boolean
}

const lostByStore = new WeakMap<TLStore, Atom<readonly LostOfflineEdit[]>>()

/** The lost offline edits of the board whose store is `store`, newest last, until dismissed. */
export function lostOfflineEdits(store: TLStore): Atom<readonly LostOfflineEdit[]> {
  let lost = lostByStore.get(store)
  if (!lost) lostByStore.set(store, (lost = atom<readonly LostOfflineEdit[]>('lost offline edits', [])))
  return lost
}

/** One field this person changed while unsynced. */
type OfflineEdit = { shapeId: string; type: string; field: string; mine: JsonValue; on: string; internal: boolean }

/** How long after the sync an edit to a field internal when made is judged again on a sensitivity change. */
const RECHECK_INTERNAL_MS = 60_000
/** How long the server may take to move values written by the previous sensitivity within its grace ([A37]). */
const MOVE_SETTLES_MS = 3000

/** Controls of {@link trackOfflineEdits}, called by the board's sync. */
export interface OfflineEditTracker {
  /** The connection of `doc` went away: edits from now on are offline edits until it synced again. */
  disconnected(doc: Y.Doc): void
  /** `doc` holds the server's state again. */
  synced(doc: Y.Doc): void
  /** The workshop's sensitivity changed: edits to fields internal when made are judged again. */
  sensitivityChanged(): void
  stop(): void
}

/** The plain text of tldraw rich text (TipTap JSON): its text nodes, a line per block. */
export function plainText(richText: unknown): string {
  if (typeof richText !== 'object' || richText === null) return ''
  const node = richText as { type?: unknown; text?: unknown; content?: unknown } // read field by field
  if (typeof node.text === 'string') return node.text
  if (!Array.isArray(node.content)) return ''
  const parts = node.content.map(plainText)
  return node.type === 'doc' ? parts.join('\n') : parts.join('')
}

/** A field's value as text: a string as it is, rich text as its plain text, a choice by its label, a number as written, nothing as "(empty)". */
export function plainTextOf(value: JsonValue, prop?: string): string {
  if (typeof value === 'string') {
    const labels = prop === undefined ? undefined : CHOICE_LABELS[prop]
    const label = labels && Object.hasOwn(labels, value) ? labels[value] : undefined
    return label ?? value
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  if (value === null) return '(empty)'
  return plainText(value)
}

/** A card's name or title as it reads (trimmed), or null when it has none. */
export function cardNameOf(props: Readonly<Record<string, unknown>>): string | null {
  for (const key of ['name', 'title', 'objective', 'competitor']) {
    const value = props[key]
    if (typeof value === 'string' && value.trim() !== '') return value.trim()
  }
  return null
}

/** The text a card or note reads as: its name or title, else its text, else its type. */
function nameOf(record: JsonObject): string {
  const props = (typeof record.props === 'object' && record.props !== null ? record.props : {}) as Record<string, unknown> // read field by field
  const named = cardNameOf(props)
  if (named !== null) return named
  const text = plainText(props.richText).trim()
  if (text !== '') return text.length > 40 ? `${text.slice(0, 40)}…` : text
  return String(record.type)
}

/** One live entry of a document's record log and the Yjs client that wrote it. */
type LiveEntry = { client: number; id: unknown; field: unknown; value: JsonValue }

/** Every live entry of `doc`'s record log, in document order. */
function* liveEntries(doc: Y.Doc): Generator<LiveEntry> {
  const log = doc.getArray<unknown>(DOC_KEYS.records)
  for (let item = log._start; item !== null; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentAny)) continue
    for (const entry of item.content.getContent()) {
      if (Array.isArray(entry)) yield { client: item.id.client, id: entry[0], field: entry[1], value: entry[2] as JsonValue } // a log entry's value is JSON
    }
  }
}

/**
 * The Yjs client that wrote the live log entry giving `field` of record `id` the value `value`
 * (an override of the field, or a base holding it), in any of `docs`; null when none does.
 */
function writerOf(docs: readonly Y.Doc[], id: string, field: string, value: unknown): number | null {
  let writer: number | null = null
  for (const doc of docs) {
    for (const entry of liveEntries(doc)) {
      if (entry.id !== id) continue
      const holds =
        entry.field === `props.${field}`
          ? isEqual(entry.value, value)
          : entry.field === '' && isEqual((entry.value as { props?: Record<string, unknown> } | null)?.props?.[field], value) // a base: checked by isEqual
      if (holds) writer = entry.client
    }
  }
  return writer
}

/**
 * Another client's live override of `props.<field>` of record `id` beside this page's own (client
 * `self`), the last in document order: an entry written without knowing this page's, since a write
 * that knew it would have deleted it. Null when there is none.
 */
function concurrentEntry(docs: readonly Y.Doc[], self: number, id: string, field: string): { client: number; value: JsonValue } | null {
  const path = `props.${field}`
  for (const doc of docs) {
    let mine = false
    let other: { client: number; value: JsonValue } | null = null
    for (const entry of liveEntries(doc)) {
      if (entry.id !== id || entry.field !== path) continue
      if (entry.client === self) mine = true
      else other = { client: entry.client, value: entry.value }
    }
    if (mine) return other
  }
  return null
}

/** Other clients' live entries for record `id` (overrides left without a base: their edits after this page's delete), in document order. */
function orphanEntries(docs: readonly Y.Doc[], self: number, id: string): { client: number; field: string; value: JsonValue }[] {
  const found: { client: number; field: string; value: JsonValue }[] = []
  for (const doc of docs) {
    for (const { client, id: of, field, value } of liveEntries(doc)) {
      if (client !== self && of === id && typeof field === 'string') found.push({ client, field, value })
    }
  }
  return found
}

/** The client of another writer's live binding (its base) with `shapeId` at either end; null when there is none. */
function bindingWriterTo(docs: readonly Y.Doc[], self: number, shapeId: string): number | null {
  for (const doc of docs) {
    for (const { client, id, field, value } of liveEntries(doc)) {
      if (client === self || field !== '' || typeof id !== 'string' || !id.startsWith('binding:')) continue
      const base = value as { fromId?: unknown; toId?: unknown } | null // read field by field
      if (base !== null && typeof base === 'object' && (base.fromId === shapeId || base.toId === shapeId)) return client
    }
  }
  return null
}

/** `record` with the field `entries` applied as the layout composes them (fields the layout does not allow are skipped). */
function withEntries(record: TLRecord, entries: readonly { field: string; value: JsonValue }[]): TLRecord {
  const next: Record<string, unknown> = { ...record }
  for (const { field, value } of entries) {
    const path = parseFieldPath(field)
    if (!path) continue
    if (path.sub === null) Object.defineProperty(next, path.top, { value, enumerable: true, writable: true, configurable: true })
    else {
      const inner = { ...((next[path.top] ?? {}) as Record<string, unknown>) }
      Object.defineProperty(inner, path.sub, { value, enumerable: true, writable: true, configurable: true })
      next[path.top] = inner
    }
  }
  return next as unknown as TLRecord // the same record with their fields
}

/** The name in the presence of the peer whose Yjs client id is `client`, if they are here. */
function nameOfClient(awareness: Awareness, client: number | null): string | null {
  if (client === null || client === awareness.clientID) return null
  const presence: unknown = awareness.getStates().get(client)?.[PRESENCE_FIELD]
  if (typeof presence !== 'object' || presence === null) return null
  const name = (presence as Record<string, unknown>).userName // checked on the next line
  return typeof name === 'string' && name.trim() !== '' ? name : null
}

/**
 * Records this person's text edits while the board is not synced, and after every document has
 * synced again reports each one whose value was replaced ({@link lostOfflineEdits}).
 * The page starts unsynced: edits made before the first sync (a board reopened offline) count.
 * @param docs - the board's documents (shared, and internal for the team), all with the client id of `awareness`
 * @param readRecord - a record as the binding composes it from `docs` (null when there is none)
 */
export function trackOfflineEdits(
  store: TLStore,
  docs: readonly Y.Doc[],
  awareness: Awareness,
  readRecord: (id: string) => JsonObject | null,
  internalNow: (type: string, prop: string) => boolean = () => false,
): OfflineEditTracker {
  const $lost = lostOfflineEdits(store)
  /** Per `shapeId field`: the value this person last gave the field while unsynced, what the card read as then, and whether the field was internal then. */
  const edits = new Map<string, OfflineEdit>()
  /** Edits to fields internal when made, judged again when the field turns out customer-visible now. */
  let madeInternal: { until: number; edits: Map<string, OfflineEdit> } | null = null
  /** Shapes and bindings this person deleted while unsynced, as they were. */
  const deleted = new Map<string, TLRecord>()
  const unsynced = new Set<Y.Doc>(docs)
  let disposed = false

  const stopListening = store.listen(
    ({ changes }) => {
      if (unsynced.size === 0) return
      for (const [from, to] of Object.values(changes.updated)) {
        if (to.typeName !== 'shape') continue
        const before = (from as TLShape).props as Record<string, JsonValue> // props of a shape record
        const after = (to as TLShape).props as Record<string, JsonValue>
        for (const field of Object.keys(after)) {
          if (fieldLabel((to as TLShape).type, field) === null || isEqual(before[field], after[field])) continue
          const value = after[field]
          const type = (to as TLShape).type
          if (value !== undefined) edits.set(`${to.id} ${field}`, { shapeId: to.id, type, field, mine: value, on: nameOf(to as unknown as JsonObject), internal: internalNow(type, field) }) // a shape record is JSON
        }
      }
      // Deleted by this person: their own edits to it went with it, knowingly.
      for (const removed of Object.values(changes.removed)) {
        for (const [key, edit] of edits) if (edit.shapeId === removed.id) edits.delete(key)
        if (removed.typeName === 'shape' || removed.typeName === 'binding') deleted.set(removed.id, removed)
      }
      for (const added of Object.values(changes.added)) deleted.delete(added.id)
    },
    { source: 'user', scope: 'document' },
  )

  // Writes each field this page gives way on back to the other person's value, through the store
  // (the binding routes it to its document and writes that one field). Left alone when the field
  // no longer holds this page's value: someone changed it again since.
  const giveWay = (yields: readonly { shapeId: string; field: string; mine: JsonValue; theirs: JsonValue }[], restores: readonly TLRecord[]) => {
    window.setTimeout(() => {
      if (disposed) return
      // Put back first (parents before children, shapes before bindings): the binding writes each whole.
      const back = restores.filter((record) => !store.has(record.id))
      if (back.length > 0) store.put(back)
      // One write per shape, holding every field it gives back.
      const writes = new Map<string, TLShape>()
      for (const { shapeId, field, mine, theirs } of yields) {
        const shape = writes.get(shapeId) ?? store.get(shapeId as TLShapeId)
        if (shape?.typeName !== 'shape') continue
        const props = shape.props as Record<string, JsonValue> // props of a shape record
        if (!isEqual(props[field], mine)) continue
        writes.set(shapeId, { ...shape, props: { ...props, [field]: theirs } } as TLShape) // the same shape with one prop set back
      }
      if (writes.size > 0) store.put([...writes.values()])
    }, 0)
  }

  // An offline delete gives way too: a shape this person deleted offline that someone else changed
  // meanwhile (their override outlived the delete as an orphan, QA q30a) is put back as it was with
  // their changes, with the bindings the delete took along, and the page says so.
  const deletesToUndo = (lost: LostOfflineEdit[]): TLRecord[] => {
    const back = new Map<string, TLRecord>()
    const notices = new Map<string, LostOfflineEdit>()
    for (const [id, record] of deleted) {
      if (record.typeName !== 'shape' || readRecord(id) !== null) continue
      const theirs = orphanEntries(docs, awareness.clientID, id)
      // A line someone bound to it meanwhile (QA q30a: it stayed as a stub hanging off the other card).
      // Not on a guest's page (one document): a line stays in the shared document when the team
      // makes its card internal, and putting the card back would write an internal item.
      const boundBy = theirs.length === 0 && docs.length > 1 ? bindingWriterTo(docs, awareness.clientID, id) : null
      if (theirs.length === 0 && boundBy === null) continue
      const writer = boundBy ?? theirs[theirs.length - 1]?.client ?? null
      back.set(id, withEntries(record, theirs))
      notices.set(id, { key: `${id} deleted`, shapeId: id, prop: '', field: boundBy === null ? 'changed' : 'line', on: nameOf(withEntries(record, theirs) as unknown as JsonObject), mine: null, by: nameOfClient(awareness, writer), gone: false, undone: true }) // a shape record is JSON
    }
    // A shape whose parent is neither on the board nor put back stays deleted: it would float nowhere.
    const placed = (shape: TLRecord) => shape.typeName !== 'shape' || !String(shape.parentId).startsWith('shape:') || back.has(shape.parentId) || store.has(shape.parentId)
    for (const [id, shape] of back) if (!placed(shape)) back.delete(id)
    // Said only of what is put back.
    for (const [id, notice] of notices) if (back.has(id)) lost.push(notice)
    const ends = (binding: TLRecord) => binding.typeName === 'binding' && [binding.fromId, binding.toId].every((end) => back.has(end) || store.has(end))
    const bindings = [...deleted.values()].filter((record) => record.typeName === 'binding' && !store.has(record.id) && ends(record) && (back.has((record as TLBinding).fromId) || back.has((record as TLBinding).toId)))
    deleted.clear()
    const depth = (shape: TLRecord): number => (shape.typeName === 'shape' && back.has(shape.parentId) ? 1 + depth(back.get(shape.parentId) as TLRecord) : 0)
    return [...[...back.values()].sort((a, b) => depth(a) - depth(b)), ...bindings]
  }

  // Runs once every document holds the server's state: the documents, not the store (which the
  // binding updates a frame later), say what each field ended with.
  // New notices replace older ones of the same field.
  const announce = (lost: readonly LostOfflineEdit[]) => {
    if (lost.length === 0) return
    const keys = new Set(lost.map((entry) => entry.key))
    $lost.set([...$lost.get().filter((entry) => !keys.has(entry.key)), ...lost])
  }

  // An edit made to a field internal then, which the facilitator made customer-visible while this
  // page was away (QA q30a): past the server's grace the text stays in the internal document,
  // where nobody reads a visible field, so it went without a word. Said once the field reads
  // visible here and its value is not this person's.
  const checkMadeVisible = () => {
    if (disposed || !madeInternal) return
    if (performance.now() > madeInternal.until) {
      madeInternal = null
      return
    }
    const lost: LostOfflineEdit[] = []
    for (const [key, edit] of madeInternal.edits) {
      if (internalNow(edit.type, edit.field)) continue
      madeInternal.edits.delete(key)
      const record = readRecord(edit.shapeId)
      const props = record && typeof record.props === 'object' && record.props !== null ? (record.props as Record<string, JsonValue>) : null // a shape's props
      const now = props ? props[edit.field] : undefined
      if (now === undefined || isEqual(now, edit.mine)) continue
      lost.push({ key, shapeId: edit.shapeId, prop: edit.field, field: fieldLabel(edit.type, edit.field) ?? edit.field, on: record ? nameOf(record) : edit.on, mine: edit.mine, by: null, gone: false, madeVisible: true })
    }
    announce(lost)
  }

  const check = () => {
    if (disposed) return
    const lost: LostOfflineEdit[] = []
    const unpublished = new Map<string, OfflineEdit>()
    const yields: { shapeId: string; field: string; mine: JsonValue; theirs: JsonValue }[] = []
    for (const [key, edit] of edits) {
      const { shapeId, type, field, mine, on } = edit
      const label = fieldLabel(type, field) ?? field
      // Written internal, where the page routed it then: judged again if the field turns out made
      // customer-visible meanwhile; as any edit while it reads internal here.
      if (edit.internal) {
        unpublished.set(key, edit)
        if (!internalNow(type, field)) continue
      }
      const record = readRecord(shapeId)
      if (!record) {
        // Gone while this page was away: the text typed here went with it.
        if (plainTextOf(mine) !== '') lost.push({ key, shapeId, prop: field, field: label, on, mine, by: null, gone: true })
        continue
      }
      const props = typeof record.props === 'object' && record.props !== null ? (record.props as Record<string, JsonValue>) : null // a shape's props
      const now = props ? props[field] : undefined
      if (now === undefined) continue
      if (isEqual(now, mine)) {
        // Kept by the client ids' order: given back if someone else wrote the field meanwhile.
        const other = concurrentEntry(docs, awareness.clientID, shapeId, field)
        if (other === null || isEqual(other.value, mine)) continue
        yields.push({ shapeId, field, mine, theirs: other.value })
        lost.push({ key, shapeId, prop: field, field: label, on: nameOf(record), mine, by: nameOfClient(awareness, other.client), gone: false })
        continue
      }
      const by = nameOfClient(awareness, writerOf(docs, shapeId, field, now))
      lost.push({ key, shapeId, prop: field, field: label, on: nameOf(record), mine, by, gone: false })
    }
    edits.clear()
    if (unpublished.size > 0) {
      madeInternal = { until: performance.now() + RECHECK_INTERNAL_MS, edits: unpublished }
      // After the server moved what it moves within its grace ([A37]), and again on a sensitivity change.
      window.setTimeout(checkMadeVisible, MOVE_SETTLES_MS)
    }
    const restores = deletesToUndo(lost)
    if (yields.length > 0 || restores.length > 0) giveWay(yields, restores)
    announce(lost)
  }

  return {
    disconnected(doc) {
      unsynced.add(doc)
    },
    synced(doc) {
      if (unsynced.delete(doc) && unsynced.size === 0) check()
    },
    sensitivityChanged: checkMadeVisible,
    stop() {
      disposed = true
      stopListening()
    },
  }
}
