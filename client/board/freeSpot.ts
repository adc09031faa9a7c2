/** A rectangle on the page: top-left corner and size. */
export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** Space kept free between a new card and its neighbours. */
export const CARD_GAP = 24

/** How many rings of candidate spots around the centre are tried before giving up. */
const MAX_RINGS = 12

function overlaps(a: Rect, b: Rect, gap: number): boolean {
  return a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap
}

function contains(outer: Rect, inner: Rect): boolean {
  return inner.x >= outer.x && inner.y >= outer.y && inner.x + inner.w <= outer.x + outer.w && inner.y + inner.h <= outer.y + outer.h
}

/**
 * Where to put a new card of `size` near `center` so that it covers nothing in `occupied`: the
 * nearest free spot on a grid of card-sized steps around the centre (ring by ring, nearest first),
 * wholly inside `within` when given (a frame that would clip the card). Falls back to the centre
 * when the nearby rings are full.
 * @returns the card's top-left corner
 * @example
 * freeSpotNear({ x: 0, y: 0 }, { w: 240, h: 150 }, [{ x: -120, y: -75, w: 240, h: 150 }]) // beside it, not on it
 */
export function freeSpotNear(center: { x: number; y: number }, size: { w: number; h: number }, occupied: readonly Rect[], gap = CARD_GAP, within?: Rect): { x: number; y: number } {
  // Within a frame, the search starts from the nearest spot wholly inside it, and so does the
  // fallback (QA q28d: from a point on its edge few grid spots fell inside, and the fallback did not).
  const clamp = (value: number, low: number, high: number) => Math.min(Math.max(value, low), Math.max(low, high))
  const origin = within
    ? { x: clamp(center.x - size.w / 2, within.x, within.x + within.w - size.w), y: clamp(center.y - size.h / 2, within.y, within.y + within.h - size.h) }
    : { x: center.x - size.w / 2, y: center.y - size.h / 2 }
  const stepX = size.w + gap
  const stepY = size.h + gap
  for (let ring = 0; ring <= MAX_RINGS; ring++) {
    const candidates: { x: number; y: number; distance: number }[] = []
    for (let i = -ring; i <= ring; i++) {
      for (let j = -ring; j <= ring; j++) {
        if (Math.max(Math.abs(i), Math.abs(j)) !== ring) continue
        const x = origin.x + i * stepX
        const y = origin.y + j * stepY
        candidates.push({ x, y, distance: Math.hypot(i * stepX, j * stepY) })
      }
    }
    candidates.sort((a, b) => a.distance - b.distance || a.y - b.y || a.x - b.x)
    const free = candidates.find(
      (spot) => (!within || contains(within, { x: spot.x, y: spot.y, ...size })) && !occupied.some((rect) => overlaps({ x: spot.x, y: spot.y, ...size }, rect, gap)),
    )
    if (free) return { x: free.x, y: free.y }
  }
  return origin
}
