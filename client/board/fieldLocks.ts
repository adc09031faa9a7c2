import { atom, type Atom, type TLInstancePresence, type TLStore } from 'tldraw'

/**
 * Who is typing into which text field, shared through presence, so that two people never type
 * into one field at once (docs/decisions/006-concurrent-text.md). While someone types into a card
 * field, their presence names it (`meta.keyplanEditing`); everyone else's copy of that field turns
 * read-only and says who is typing. If two people start within the same moment, the one who
 * started first keeps the field and the other keeps their text on screen to use afterwards.
 *
 * Presence comes from peers and is untrusted: a claim is read field by field and ignored when
 * malformed. A claim only ever changes what a page lets its own user type; the server judges every
 * write as before.
 */

/** A text field someone is typing into: a card's field (`notes`), or `richText` of a shape on the canvas. */
export interface EditingField {
  shapeId: string
  field: string
  /** When they started typing (their clock, ms since the epoch): the earlier start keeps the field. */
  since: number
}

/** Key of the claim in a presence's `meta`. */
export const EDITING_META_KEY = 'keyplanEditing'

/** After this long without a keystroke, a person's claim on a field ends even if it keeps focus. */
export const TYPING_IDLE_MS = 15_000

/** Someone else typing into a field. */
export interface FieldHolder {
  /** The presence record's id: one per tab. */
  key: string
  userId: string
  name: string
  color: string
  since: number
}

const claims = new WeakMap<TLStore, Atom<EditingField | null>>()

/** This page's own claim on the board whose store is `store` (published with its presence). */
export function ownClaim(store: TLStore): Atom<EditingField | null> {
  let claim = claims.get(store)
  if (!claim) claims.set(store, (claim = atom<EditingField | null>('keyplan editing field', null)))
  return claim
}

/** The claim a peer's presence makes, or null when it makes none or a malformed one. */
export function claimOf(presence: TLInstancePresence): EditingField | null {
  const value: unknown = Object.hasOwn(presence.meta, EDITING_META_KEY) ? presence.meta[EDITING_META_KEY] : undefined
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null
  const { shapeId, field, since } = value as Record<string, unknown> // each field checked below
  if (typeof shapeId !== 'string' || typeof field !== 'string' || typeof since !== 'number' || !Number.isFinite(since)) return null
  return { shapeId, field, since }
}

/** How a page names the same person's other tab typing into a field (QA q30a: it named the person as if someone else). */
export const OWN_OTHER_TAB = 'Your other tab'

/**
 * The peers typing into `field` of shape `shapeId` (reactive inside tldraw's `useValue`). A tab of
 * the person `myUserId` names (this page's own user) is named {@link OWN_OTHER_TAB}.
 */
export function peersTypingInto(store: TLStore, shapeId: string, field: string, myUserId?: string): FieldHolder[] {
  const holders: FieldHolder[] = []
  for (const presence of store.query.records('instance_presence').get()) {
    const claim = claimOf(presence)
    if (!claim || claim.shapeId !== shapeId || claim.field !== field) continue
    const mine = myUserId !== undefined && bareId(presence.userId) === bareId(myUserId)
    holders.push({ key: presence.id, userId: presence.userId, name: mine ? OWN_OTHER_TAB : presence.userName, color: presence.color, since: claim.since })
  }
  return holders
}

const bareId = (userId: string) => (userId.startsWith('user:') ? userId.slice(5) : userId)

/**
 * Who keeps a field several people claim: the earliest start, then the smaller user id, so every
 * page picks the same one. `me` is this page's claim on the field (null when it has none).
 * @returns `'me'`, the peer holding the field, or null when nobody types into it
 * @example
 * fieldHolder({ since: 10 }, 'user:a', [{ since: 12, userId: 'user:b', … }]) // 'me'
 */
export function fieldHolder(me: Pick<EditingField, 'since'> | null, myUserId: string, peers: readonly FieldHolder[]): 'me' | FieldHolder | null {
  let best: 'me' | FieldHolder | null = me ? 'me' : null
  const sinceOf = (holder: 'me' | FieldHolder) => (holder === 'me' ? (me?.since ?? Infinity) : holder.since)
  const idOf = (holder: 'me' | FieldHolder) => bareId(holder === 'me' ? myUserId : holder.userId)
  for (const peer of peers) {
    if (best === null || peer.since < sinceOf(best) || (peer.since === sinceOf(best) && idOf(peer) < idOf(best))) best = peer
  }
  return best
}
