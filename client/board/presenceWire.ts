import { InstancePresenceRecordType, type TLInstancePresence } from 'tldraw'
import { z } from 'zod'
import { EDITING_META_KEY, claimOf } from './fieldLocks.ts'

/**
 * How a presence travels in awareness. y-protocols awareness sends a client's whole state on
 * every change, so a cursor move resends everything in it: tldraw's `TLInstancePresence` as it is
 * (id, type name, long keys, nulls, empty lists, full-precision floats) cost ~450 bytes a move.
 * The wire form keeps what a peer needs to draw the cursor, selection, brush and chat, adds the
 * viewport only while someone follows (the publisher decides, `presence.ts`), leaves out defaults
 * and the prefixes of page and shape ids, and rounds positions to tenths of a page unit. `userId`,
 * `userName` and `color` keep tldraw's names: the server reads `userName` for participant lists
 * (`server/snapshot/participants.ts`) and `readParticipants` (`presence.ts`) reads all three.
 *
 * A peer rebuilds the record with {@link presenceFromWire}, which validates it as tldraw does.
 */
export interface PresenceWire {
  /** Packed with {@link packUserId}. */
  userId: string
  userName: string
  color: string
  /** `currentPageId` without its `page:` prefix. */
  page: string
  /** `lastActivityTimestamp`, when not null. */
  at?: number
  /** `cursor`: `[x, y]`, or `[x, y, type, rotation]` unless the type is `default` and rotation 0. */
  cursor?: [number, number] | [number, number, string, number]
  /**
   * `camera` and `screenBounds` as `[x, y, z, screen x, y, w, h]`: only a follower needs them,
   * so they are sent while someone follows this client.
   */
  view?: [number, number, number, number, number, number, number]
  /** `selectedShapeIds` without their `shape:` prefix, when any. */
  selected?: string[]
  /** `followingUserId`, when following, packed with {@link packUserId}. */
  following?: string
  /** `brush` as `[x, y, w, h]`. */
  brush?: [number, number, number, number]
  /** `scribbles`, when any, as tldraw has them. */
  scribbles?: unknown[]
  /** `chatMessage`, when not empty. */
  chat?: string
  /**
   * The card field this page is typing into (`meta.keyplanEditing`, `fieldLocks.ts`), the shape id
   * without its prefix. The server cuts it from what a guest hears when the shape is internal.
   */
  editing?: { shape: string; field: string; since: number }
}

/** A user id as Keyplan mints it (`client/identity.ts`): `user:` and a UUID, in five hex groups. */
const UUID_USER_ID = /^user:([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/

/**
 * A user id as sent: one of Keyplan's (`user:` + UUID) as `~` and the UUID's 16 bytes in base64url,
 * 23 characters instead of 41, since every presence update carries it; any other id as it is.
 */
export function packUserId(id: string): string {
  const groups = UUID_USER_ID.exec(id)
  if (!groups) return id
  const hex = groups.slice(1).join('')
  let binary = ''
  for (let i = 0; i < hex.length; i += 2) binary += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16))
  return `~${btoa(binary).replaceAll('+', '-').replaceAll('/', '_').replace(/=+$/, '')}`
}

/** The user id {@link packUserId} packed; throws on a malformed packed id. */
export function unpackUserId(wire: string): string {
  if (!wire.startsWith('~')) return wire
  const binary = atob(wire.slice(1).replaceAll('-', '+').replaceAll('_', '/'))
  if (binary.length !== 16) throw new Error('not a packed user id')
  const hex = Array.from(binary, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('')
  return `user:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/**
 * Positions to tenths of a page unit: under half a pixel at tldraw's largest zoom (8×), and a
 * third of the characters of a float.
 */
const round = (n: number) => Math.round(n * 10) / 10
/** Zoom to 4 decimals (a 0.005 % zoom difference moves nothing visibly). */
const roundZoom = (n: number) => Math.round(n * 10_000) / 10_000

/** A tldraw id without its type prefix (`page:`, `shape:`); {@link presenceFromWire} puts it back. */
const unprefix = (id: string) => id.slice(id.indexOf(':') + 1)

const box = (b: { x: number; y: number; w: number; h: number }): [number, number, number, number] => [round(b.x), round(b.y), round(b.w), round(b.h)]

/** Our presence in its wire form (see {@link PresenceWire}), with the viewport when `followed`. */
export function presenceToWire(presence: TLInstancePresence, followed: boolean): PresenceWire {
  const wire: PresenceWire = { userId: packUserId(presence.userId), userName: presence.userName, color: presence.color, page: unprefix(presence.currentPageId) }
  if (presence.lastActivityTimestamp !== null) wire.at = presence.lastActivityTimestamp
  const { cursor, camera, screenBounds, brush } = presence
  if (cursor) {
    wire.cursor =
      cursor.type === 'default' && cursor.rotation === 0
        ? [round(cursor.x), round(cursor.y)]
        : [round(cursor.x), round(cursor.y), cursor.type, cursor.rotation]
  }
  if (followed && camera && screenBounds) wire.view = [round(camera.x), round(camera.y), roundZoom(camera.z), ...box(screenBounds)]
  if (presence.selectedShapeIds.length > 0) wire.selected = presence.selectedShapeIds.map(unprefix)
  if (presence.followingUserId !== null) wire.following = packUserId(presence.followingUserId)
  if (brush) wire.brush = box(brush)
  if (presence.scribbles.length > 0) wire.scribbles = [...presence.scribbles]
  if (presence.chatMessage !== '') wire.chat = presence.chatMessage
  const claim = claimOf(presence)
  if (claim) wire.editing = { shape: unprefix(claim.shapeId), field: claim.field, since: claim.since }
  return wire
}

const finite = z.number().finite()
const quad = z.tuple([finite, finite, finite, finite])
const unbox = (b: [number, number, number, number] | undefined) => (b ? { x: b[0], y: b[1], w: b[2], h: b[3] } : null)

/** The wire form's structure; the values are then checked by tldraw's own presence validator. */
const PresenceWireSchema = z.object({
  userId: z.string(),
  userName: z.string(),
  color: z.string(),
  page: z.string(),
  at: finite.optional(),
  cursor: z.union([z.tuple([finite, finite]), z.tuple([finite, finite, z.string(), finite])]).optional(),
  view: z.tuple([finite, finite, finite, finite, finite, finite, finite]).optional(),
  selected: z.array(z.string()).optional(),
  following: z.string().optional(),
  brush: quad.optional(),
  scribbles: z.array(z.unknown()).optional(),
  chat: z.string().optional(),
  editing: z.object({ shape: z.string(), field: z.string(), since: finite }).optional(),
})

/**
 * The viewport a presence without one stands for: {@link FALLBACK_SCREEN} at 100 %, centred on
 * the cursor. tldraw stops following a peer as soon as a frame finds no viewport in its presence,
 * and the peer only adds it once it has seen that it is followed: meanwhile the follower heads for
 * the peer's cursor, as tldraw's "zoom to user" does.
 */
function fallbackView(cursor: { x: number; y: number } | null) {
  const { w, h } = FALLBACK_SCREEN
  return { camera: { x: w / 2 - (cursor?.x ?? 0), y: h / 2 - (cursor?.y ?? 0), z: 1 }, screenBounds: { x: 0, y: 0, ...FALLBACK_SCREEN } }
}
const FALLBACK_SCREEN = { w: 1280, h: 800 }

/**
 * A peer's presence as the store record `id`, validated like any tldraw presence record; throws
 * when it is malformed. Tabs opened before the wire form publish the whole record (with
 * `typeName`), which is taken as it is.
 */
export function presenceFromWire(value: unknown, id: TLInstancePresence['id']): TLInstancePresence {
  if (typeof value === 'object' && value !== null && (value as { typeName?: unknown }).typeName === 'instance_presence') {
    return InstancePresenceRecordType.validate({ ...value, id })
  }
  const wire = PresenceWireSchema.parse(value)
  const cursor = wire.cursor ? { x: wire.cursor[0], y: wire.cursor[1], type: wire.cursor[2] ?? 'default', rotation: wire.cursor[3] ?? 0 } : null
  const view = wire.view
    ? { camera: { x: wire.view[0], y: wire.view[1], z: wire.view[2] }, screenBounds: { x: wire.view[3], y: wire.view[4], w: wire.view[5], h: wire.view[6] } }
    : fallbackView(cursor)
  return InstancePresenceRecordType.validate({
    typeName: 'instance_presence',
    id,
    userId: unpackUserId(wire.userId),
    userName: wire.userName,
    color: wire.color,
    currentPageId: `page:${wire.page}`,
    lastActivityTimestamp: wire.at ?? null,
    cursor,
    ...view,
    selectedShapeIds: (wire.selected ?? []).map((id) => `shape:${id}`),
    followingUserId: wire.following === undefined ? null : unpackUserId(wire.following),
    brush: unbox(wire.brush),
    scribbles: wire.scribbles ?? [],
    chatMessage: wire.chat ?? '',
    meta: wire.editing ? { [EDITING_META_KEY]: { shapeId: `shape:${wire.editing.shape}`, field: wire.editing.field, since: wire.editing.since } } : {},
  })
}
