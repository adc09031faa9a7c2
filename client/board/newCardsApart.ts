import type { Editor, TLShape, TLShapeId, TLStore } from 'tldraw'

/**
 * New cards never end up hidden under each other. Every "Add …" button puts its card in a free
 * spot of the board as this page holds it, but two people who press the same button at about the
 * same moment each place their card before the other's has arrived, so both pick the same spot.
 * When a peer's new shape arrives on top of a card this page added and has not moved since, one of
 * the two moves to the next free spot: always the one with the greater id, so exactly one page
 * moves its own card, whichever order the cards arrive in, and no two pages ever move one card.
 * The move is not an undo step: undo takes the card away as it was added.
 */

/** Where to put a card again, the board as it is now: the same rule that placed it, the card itself left out. */
export type PlaceAgain = () => { x: number; y: number }

interface Placed {
  parentId: TLShape['parentId']
  x: number
  y: number
  placeAgain: PlaceAgain
  /** When it was added (`performance.now()`), or when the page was back online if it was added offline. */
  at: number
  /** Added while the page was not connected: the peers' cards it meets were placed without it. */
  offline: boolean
}

/**
 * How long a card counts as just added: two people pressing the same button "at the same moment"
 * are seconds apart at most. A card added minutes ago is where its person left it (QA q28d: a
 * guest's note dropped on two older cards pushed both down the column, credited to their author).
 */
const SAME_MOMENT_MS = 10_000

/** Per board store: the cards this page added and has not moved since, with how to place each again. */
const addedHere = new WeakMap<TLStore, Map<TLShapeId, Placed>>()

/** Per board store: whether its page is connected now (unknown before its first status). */
const connectedStores = new WeakMap<TLStore, boolean>()

/**
 * The page's board connection changed (call it as the provider says so, before the peers' changes
 * it brings arrive): cards added while it was away count as just added from now on, when they are
 * sent (QA q30a: cards added during an outage stayed exactly on top of others). Of two pages back
 * from the same outage, the id rule moves one card; a card added offline onto a card added online
 * before the other page's moment ended moves only if its id is the greater.
 */
export function noteBoardConnection(store: TLStore, connected: boolean): void {
  const was = connectedStores.get(store)
  connectedStores.set(store, connected)
  if (!connected || was !== false) return
  const cards = addedHere.get(store)
  if (!cards) return
  for (const [id, placed] of cards) if (placed.offline) cards.set(id, { ...placed, at: performance.now(), offline: false })
}

/** Notes a card this page just added (and placed by `placeAgain`'s rule) for {@link keepNewCardsApart}. */
export function rememberNewCard(editor: Editor, id: TLShapeId, placeAgain: PlaceAgain): void {
  const shape = editor.getShape(id)
  if (!shape) return
  let cards = addedHere.get(editor.store)
  if (!cards) addedHere.set(editor.store, (cards = new Map()))
  const offline = connectedStores.get(editor.store) === false
  cards.set(id, { parentId: shape.parentId, x: shape.x, y: shape.y, placeAgain, at: performance.now(), offline })
}

/**
 * Moves a card this page added off a peer's new shape that arrived on top of it (see the module
 * comment). Frames and arrows take up no room, as when a card is placed.
 * @returns a function that stops it
 */
export function keepNewCardsApart(editor: Editor): () => void {
  const stop = afterRemoteCreates(
    editor,
    (shape) => shape.type !== 'frame' && shape.type !== 'arrow' && Boolean(addedHere.get(editor.store)?.size),
    (ids) => moveOwnCardsOff(editor, ids),
  )
  return () => {
    stop()
    addedHere.delete(editor.store)
  }
}

/**
 * Calls `handle` with the shapes that peers' changes create and `accept` takes, once per merge,
 * after it: a change made inside the merge would count as the peer's and never be sent.
 * @returns a function that stops it
 */
export function afterRemoteCreates(editor: Editor, accept: (shape: TLShape) => boolean, handle: (ids: readonly TLShapeId[]) => void): () => void {
  let arrived: TLShapeId[] = []
  return editor.sideEffects.registerAfterCreateHandler('shape', (shape, source) => {
    if (source !== 'remote' || !accept(shape)) return
    if (arrived.length === 0) {
      queueMicrotask(() => {
        const ids = arrived
        arrived = []
        handle(ids)
      })
    }
    arrived.push(shape.id)
  })
}

function moveOwnCardsOff(editor: Editor, arrivedIds: readonly TLShapeId[]): void {
  const cards = addedHere.get(editor.store)
  if (!cards) return
  for (const [id, placed] of cards) {
    const card = editor.getShape(id)
    // Gone, moved by this person since, or added a while ago: it is where they want it now.
    if (!card || card.parentId !== placed.parentId || card.x !== placed.x || card.y !== placed.y) {
      cards.delete(id)
      continue
    }
    // Added offline: not sent yet, so not placed against the peers' cards yet either; kept until
    // it is back online, which starts its moment.
    if (placed.offline) continue
    if (performance.now() - placed.at > SAME_MOMENT_MS) {
      cards.delete(id)
      continue
    }
    const bounds = editor.getShapePageBounds(card)
    // The greater id gives way: the page that added the other card sees the same pair and keeps its own.
    const covered = arrivedIds.some((other) => {
      const otherBounds = other < id ? editor.getShapePageBounds(other) : undefined
      return bounds && otherBounds && bounds.collides(otherBounds)
    })
    if (!covered) continue
    const spot = placed.placeAgain()
    editor.run(() => editor.updateShape({ id, type: card.type, ...spot }), { history: 'ignore' })
    const moved = editor.getShape(id)
    if (moved) cards.set(id, { ...placed, x: moved.x, y: moved.y })
  }
}
