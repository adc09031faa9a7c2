import { atom, type Atom, type TLInstancePresence, type TLRecord, type TLStore } from 'tldraw'

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
  const own = ownClaim(store).get()
  for (const presence of store.query.records('instance_presence').get()) {
    const claim = claimOf(presence)
    if (!claim || claim.shapeId !== shapeId || claim.field !== field) continue
    // A claim nothing followed has lapsed ("Claims that lapse" below).
    const since = rankOfClaim(store, presence.id, claim, own)
    if (since === null) continue
    const mine = myUserId !== undefined && bareId(presence.userId) === bareId(myUserId)
    holders.push({ key: presence.id, userId: presence.userId, name: mine ? OWN_OTHER_TAB : presence.userName, color: presence.color, since })
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

/*
 * Claims that lapse: when a peer's typing claim stops holding a field on this page (docs/decisions/006-concurrent-text.md,
 * "Claims that lapse"). A claim is the peer's word, and its end was only its own page's to say: a
 * hostile page (QA q33a) kept "Eve Guest is typing here…" on the team's fields for as long as it
 * liked, and its `since: 1` won every tie. So this page judges a claim by what it sees:
 *
 * - a claim lapses once this page has seen no change of the field's value from a peer for
 *   {@link CLAIM_LAPSE_MS} since it first saw the claim (a typist's page ends its own claim after
 *   {@link TYPING_IDLE_MS} without a key, and every key changes the value); the same person
 *   claiming the same field again does not renew it, a change of the value does;
 * - a claim this page first saw more than {@link CLAIM_RACE_MS} after its own person started
 *   typing into the field cannot be a start at the same moment: it ranks as started then, whatever
 *   `since` it says, so it never takes the field from a live typist.
 */

/** How long a peer's claim holds a field without a change of the field's value (the typist's idle end, and a second for its delivery). */
export const CLAIM_LAPSE_MS = TYPING_IDLE_MS + 1_000

/** Two claims first seen this far apart were not made at the same moment: the later one saw the earlier. */
export const CLAIM_RACE_MS = 3_000

/** One peer's claim as this page saw it (ms on this page's clock). */
interface SeenClaim {
  shapeId: string
  field: string
  seenAt: number
  changedAt: number
}

interface ClaimWatch {
  seen: Map<string, SeenClaim>
  /** Set when a claim lapses or comes back: what reads claims reads it again. */
  tick: Atom<number>
  timer: ReturnType<typeof setTimeout> | undefined
}

const watches = new WeakMap<TLStore, ClaimWatch>()

function watchOf(store: TLStore): ClaimWatch {
  let watch = watches.get(store)
  if (!watch) watches.set(store, (watch = { seen: new Map(), tick: atom('claims lapse', 0), timer: undefined }))
  return watch
}

const isPresence = (record: TLRecord): record is TLInstancePresence => record.typeName === 'instance_presence'

/** Notes `presence`'s claim as seen now, unless this page saw it already (the same field of the same presence). */
function note(watch: ClaimWatch, presenceId: string, claim: EditingField, now: number): SeenClaim {
  const seen = watch.seen.get(presenceId)
  if (seen && seen.shapeId === claim.shapeId && seen.field === claim.field) return seen
  const fresh = { shapeId: claim.shapeId, field: claim.field, seenAt: now, changedAt: now }
  watch.seen.set(presenceId, fresh)
  if (watch.timer === undefined) schedule(watch, now)
  return fresh
}

/** Wakes readers when the next live claim lapses. */
function schedule(watch: ClaimWatch, now: number): void {
  let next = Number.POSITIVE_INFINITY
  for (const seen of watch.seen.values()) {
    const lapsesAt = Math.max(seen.seenAt, seen.changedAt) + CLAIM_LAPSE_MS
    if (lapsesAt > now) next = Math.min(next, lapsesAt)
  }
  clearTimeout(watch.timer)
  watch.timer = undefined
  if (next === Number.POSITIVE_INFINITY) return
  watch.timer = setTimeout(() => {
    watch.tick.set(watch.tick.get() + 1)
    schedule(watch, Date.now())
  }, next - now)
}

const valueOf = (record: TLRecord, field: string): unknown => ('props' in record ? (record.props as Record<string, unknown>)[field] : undefined) // a shape's props, read one field
const sameValue = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b)

/**
 * Follows the peers' claims on the board whose store is `store`: when each was first seen, and when
 * a peer last changed the field it claims. Start it before presences are mirrored into the store.
 * @returns a function that stops following
 */
export function watchClaims(store: TLStore): () => void {
  const watch = watchOf(store)
  const stop = store.listen(
    ({ changes }) => {
      const now = Date.now()
      let revived = false
      for (const record of Object.values(changes.added)) {
        const claim = isPresence(record) ? claimOf(record) : null
        if (claim) note(watch, record.id, claim, now)
      }
      for (const [prev, next] of Object.values(changes.updated)) {
        if (isPresence(next)) {
          const claim = claimOf(next)
          if (claim) note(watch, next.id, claim, now)
          continue
        }
        for (const seen of watch.seen.values()) {
          if (seen.shapeId !== next.id || sameValue(valueOf(prev, seen.field), valueOf(next, seen.field))) continue
          revived ||= now - Math.max(seen.seenAt, seen.changedAt) >= CLAIM_LAPSE_MS
          seen.changedAt = now
        }
      }
      for (const record of Object.values(changes.removed)) if (isPresence(record)) watch.seen.delete(record.id)
      if (revived) watch.tick.set(watch.tick.get() + 1)
      schedule(watch, now)
    },
    { source: 'remote', scope: 'all' },
  )
  return () => {
    stop()
    clearTimeout(watch.timer)
    watch.timer = undefined
  }
}

/**
 * The `since` a peer's claim ranks with on this page, or null when it has lapsed (reactive inside
 * tldraw's `useValue`). `mine` is this page's own claim on the same field, if any.
 */
function rankOfClaim(store: TLStore, presenceId: string, claim: EditingField, mine: EditingField | null): number | null {
  const watch = watchOf(store)
  watch.tick.get()
  const now = Date.now()
  const seen = note(watch, presenceId, claim, now)
  if (now - Math.max(seen.seenAt, seen.changedAt) >= CLAIM_LAPSE_MS) return null
  if (mine && mine.shapeId === claim.shapeId && mine.field === claim.field && seen.seenAt - mine.since > CLAIM_RACE_MS) return Math.max(claim.since, seen.seenAt)
  return claim.since
}
