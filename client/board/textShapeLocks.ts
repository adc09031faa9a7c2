import { atom, isEqual, react, type Atom, type Editor, type TLRichText, type TLShape, type TLShapeId, type TLShapePartial, type TLStore, type StateNode, type TLClickEventInfo } from 'tldraw'
import { writeStoreRecordsToDocument } from './bindStoreToYDoc.ts'
import { TYPING_IDLE_MS, fieldHolder, ownClaim, peersTypingInto, type FieldHolder } from './fieldLocks.ts'
import { peersSelecting } from './DeletedWhileTyping.tsx'

/**
 * One typist at a time on the canvas's own texts (sticky notes, text, labels of shapes and lines):
 * decision 006's rule for card fields (client/board/fieldLocks.ts), carried to text edited in place.
 * While this page edits a shape's text, its presence claims the shape's `richText`; other pages
 * cannot enter edit mode on it and show who is typing. Two people who entered at the same moment:
 * the earlier claim keeps the text; the other page leaves edit mode and keeps what its person typed
 * on screen, with "Use my text" once the holder is done.
 */

/** The field a claim on a shape's text names. */
export const RICH_TEXT_FIELD = 'richText'

/**
 * A text this page's person typed into a shape a peer who started first held, or into a shape that
 * left the page while they typed in it (`gone`), kept for the session.
 */
export interface KeptShapeText {
  shapeId: TLShapeId
  richText: TLRichText
  /** Who held the shape; for a shape gone, who took it away (null when no page said so). */
  by: string | null
  /**
   * The shape left while it was being edited: a peer deleted it, or (on a page that leaves out
   * what is internal, `removed`) deleted it or made it internal.
   */
  gone?: { verb: 'deleted' | 'removed'; kind: 'note' | 'text' }
}

const keptByStore = new WeakMap<TLStore, Atom<readonly KeptShapeText[]>>()

/** The texts kept aside on the board whose store is `store` (newest last). */
export function keptShapeTexts(store: TLStore): Atom<readonly KeptShapeText[]> {
  let kept = keptByStore.get(store)
  if (!kept) keptByStore.set(store, (kept = atom<readonly KeptShapeText[]>('kept shape texts', [])))
  return kept
}

function richTextOf(shape: TLShape | undefined): TLRichText | null {
  if (!shape || !('richText' in shape.props)) return null
  return shape.props.richText as TLRichText // every shape with a richText prop holds tldraw rich text
}

/** Sets the text of shape `id` (any shape with a `richText` prop); does nothing when it is gone. */
export function writeShapeText(editor: Editor, id: TLShapeId, richText: TLRichText): void {
  const shape = editor.getShape(id)
  if (!shape || !('richText' in shape.props)) return
  editor.updateShape({ id, type: shape.type, props: { richText } } as TLShapePartial) // a shape whose props hold richText, checked above
}

/** The peer who holds the text of `shapeId` for this page, or null (nobody, or this page). */
export function textHolder(editor: Editor, shapeId: TLShapeId): FieldHolder | null {
  const claim = ownClaim(editor.store).get()
  const mine = claim && claim.shapeId === shapeId && claim.field === RICH_TEXT_FIELD ? claim : null
  const holder = fieldHolder(mine, editor.user.getId(), peersTypingInto(editor.store, shapeId, RICH_TEXT_FIELD, editor.user.getId()))
  return holder === 'me' ? null : holder
}

/** Rich text without the `dir: auto` the editor adds to each block: the same text as written elsewhere. */
function withoutAutoDirection(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutAutoDirection)
  if (typeof node !== 'object' || node === null) return node
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(node)) {
    if (key === 'attrs' && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const { dir, ...rest } = value as Record<string, unknown> // a TipTap node's attrs
      const kept = dir === 'auto' ? rest : { ...rest, dir }
      if (Object.keys(kept).length > 0) out[key] = kept
    } else out[key] = withoutAutoDirection(value)
  }
  return out
}

/** True when two versions of a shape differ only in their rich text and who last edited it. */
function onlyTextChanged(prev: TLShape, next: TLShape): boolean {
  const { props: prevProps, ...prevRest } = prev
  const { props: nextProps, ...nextRest } = next
  if (!isEqual(prevRest, nextRest)) return false
  const strip = (props: object) => {
    const { richText: _text, textLastEditedBy: _by, ...rest } = props as Record<string, unknown> // a text shape's props
    return rest
  }
  return isEqual(strip(prevProps), strip(nextProps))
}

/**
 * Applies the rule to `editor` (docs/decisions/006-concurrent-text.md, "Notes on the canvas").
 * @returns a function that stops it
 */
export function keepOneTypistPerText(editor: Editor, { hidesInternal = false }: { hidesInternal?: boolean } = {}): () => void {
  const { store } = editor
  const claim = ownClaim(store)
  const $kept = keptShapeTexts(store)

  // Every way into edit mode (double-click, Enter, a tool) asks canEditShape first.
  const canEditShape = editor.canEditShape.bind(editor)
  editor.canEditShape = ((shape: TLShape | TLShapeId | null, info) => {
    if (!canEditShape(shape, info)) return false
    const id = typeof shape === 'string' ? shape : shape?.id
    return id === undefined || textHolder(editor, id) === null
  }) as Editor['canEditShape'] // the same signature; the type guard is the original's

  // tldraw answers a double-click on a shape it may not edit by starting a new text shape on top
  // of it (as on a locked shape): not over a text someone else is typing into.
  const idleState = editor.getStateDescendant<StateNode & { handleDoubleClickOnCanvas?(info: TLClickEventInfo): void }>('select.idle')
  const doubleClickOnCanvas = idleState?.handleDoubleClickOnCanvas
  if (idleState && doubleClickOnCanvas) {
    idleState.handleDoubleClickOnCanvas = (info: TLClickEventInfo) => {
      const under = editor.getShapeAtPoint(editor.inputs.getCurrentPagePoint(), { hitInside: true })
      if (under && textHolder(editor, under.id) !== null) return
      doubleClickOnCanvas.call(idleState, info)
    }
  }

  /** The shape this page edits: its text as this person last wrote it, and whether they typed since claiming. */
  let editing: { id: TLShapeId; last: TLRichText; typed: boolean } | null = null
  let idle: ReturnType<typeof setTimeout> | undefined
  const mine = (id: TLShapeId) => {
    const current = claim.get()
    return current !== null && current.shapeId === id && current.field === RICH_TEXT_FIELD
  }
  const release = (id: TLShapeId) => {
    clearTimeout(idle)
    if (mine(id)) claim.set(null)
  }
  const claimNow = (id: TLShapeId) => {
    if (!mine(id)) claim.set({ shapeId: id, field: RICH_TEXT_FIELD, since: Date.now() })
    clearTimeout(idle)
    // Someone who keeps the editor open without typing lets others in after a while.
    idle = setTimeout(() => {
      if (editing?.id === id) editing.typed = false
      release(id)
    }, TYPING_IDLE_MS)
  }

  const stopClaiming = react('claim the edited text', () => {
    const id = editor.getEditingShapeId()
    if (editing && editing.id !== id) {
      release(editing.id)
      editing = null
    }
    const text = id ? richTextOf(editor.getShape(id)) : null
    if (id && text && !editing) {
      editing = { id, last: text, typed: false }
      claimNow(id)
    }
  })

  const stopOwnTyping = store.listen(
    ({ changes }) => {
      const change = editing && changes.updated[editing.id]
      if (!editing || !change) return
      const text = richTextOf(change[1] as TLShape) // an updated shape record
      if (!text || isEqual(text, editing.last)) return
      editing.last = text
      editing.typed = true
      claimNow(editing.id)
    },
    { source: 'user', scope: 'document' },
  )

  // A peer's keystrokes sent before they saw this page's claim (typed at the same moment, or offline
  // and arriving later) never reach the holder's store: the text on the holder's screen, and under
  // their caret, stays theirs, and the holder's page writes it back to the document, so the text
  // ends as its holder wrote it, whole. Let into the store and put back a frame later, the peer's
  // text sat in the holder's editor for that frame, and keys typed then went into it.
  const stopPeerTyping = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
    if (source !== 'remote' || editing?.id !== next.id || !mine(next.id) || textHolder(editor, next.id) !== null) return next
    // Nothing typed here yet: nothing of this person's to keep. A facilitator's revert or restore
    // (or a peer's text) goes in, rather than being written over by a text only opened (QA q28b).
    if (!editing.typed) return next
    const held = richTextOf(prev)
    const text = richTextOf(next)
    if (!held || !text || isEqual(text, held)) return next
    queueMicrotask(() => writeStoreRecordsToDocument(store, [next.id]))
    return { ...next, props: { ...next.props, richText: held } } as TLShape // a shape whose props hold richText, checked above
  })

  // The rich text editor, handed a text from outside while open (a revert, a restore, a peer's
  // edit let in), writes it back at once in its own normal form (each block marked `dir: auto`),
  // as this person's edit: History credited a change to someone who typed nothing, and this page
  // took the text for its own (QA q28b). Such a write, the same text otherwise, is not made.
  const stopEchoes = editor.sideEffects.registerBeforeChangeHandler('shape', (prev, next, source) => {
    if (source !== 'user' || prev.id !== editing?.id) return next
    const before = richTextOf(prev)
    const after = richTextOf(next)
    if (!before || !after || before === after || !onlyTextChanged(prev, next)) return next
    return isEqual(withoutAutoDirection(before), withoutAutoDirection(after)) ? prev : next
  })

  // A peer who started first holds the text this page edits: leave edit mode, keep what was typed.
  const stopYielding = react('yield the text to the earlier typist', () => {
    const id = editor.getEditingShapeId()
    const holder = id ? textHolder(editor, id) : null
    if (!id || !holder) return
    const lost = editing?.id === id && editing.typed ? editing.last : null
    queueMicrotask(() => {
      if (lost) $kept.set([...$kept.get().filter((kept) => kept.shapeId !== id), { shapeId: id, richText: lost, by: holder.name }])
      release(id)
      editing = null
      if (editor.getEditingShapeId() === id) editor.setCurrentTool('select.idle')
    })
  })

  // A peer deletes (or, for a guest's page, makes internal) the shape being typed into: the editor
  // closes with it, the focus falls to the page and tldraw takes the next keys as shortcuts ('h'
  // the hand, 'e' the eraser), and the text typed so far is gone with the shape. It is kept, and
  // its notice takes the focus (KeptShapeTexts).
  // The peers who had the edited shape selected, remembered while it is edited: a peer's presence
  // may say they selected nothing before their delete arrives (presence is relayed unstored).
  let selectors = { id: null as TLShapeId | null, names: '' }
  const stopSelectors = react('peers selecting the edited text', () => {
    const id = editor.getEditingShapeId()
    if (selectors.id !== id) selectors = { id, names: '' }
    const names = id ? peersSelecting(editor, id) : ''
    if (names) selectors.names = names
  })
  const stopGone = editor.sideEffects.registerBeforeDeleteHandler('shape', (shape, source) => {
    if (source !== 'remote' || editor.getEditingShapeId() !== shape.id) return
    const text = richTextOf(shape)
    if (!text) return
    const by = peersSelecting(editor, shape.id) || (selectors.id === shape.id ? selectors.names : '') || null
    const gone = { verb: hidesInternal ? 'removed' : 'deleted', kind: shape.type === 'note' ? 'note' : 'text' } as const
    $kept.set([...$kept.get().filter((kept) => kept.shapeId !== shape.id), { shapeId: shape.id, richText: text, by, gone }])
  })

  return () => {
    stopEchoes()
    stopSelectors()
    stopGone()
    stopClaiming()
    stopOwnTyping()
    stopPeerTyping()
    stopYielding()
    if (editing) release(editing.id)
    editor.canEditShape = canEditShape
    if (idleState && doubleClickOnCanvas) idleState.handleDoubleClickOnCanvas = doubleClickOnCanvas
  }
}
