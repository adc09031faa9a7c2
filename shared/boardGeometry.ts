import type { TLShape } from '@tldraw/tlschema'

/**
 * Page geometry of tldraw shape records without an editor: page transforms through parent
 * frames and groups, approximate sizes, containment in a frame, and reading order.
 * Plan extraction uses it to put notes into SWOT quadrants and to order every section.
 */

/** A 2D affine transform `[a c e; b d f]`, as tldraw's `Mat`. */
export interface Mat {
  a: number
  b: number
  c: number
  d: number
  e: number
  f: number
}

/** A point in page or shape space. */
export interface Point {
  x: number
  y: number
}

const IDENTITY: Mat = { a: 1, b: 0, c: 0, d: 1, e: 0, f: 0 }

function multiply(m: Mat, n: Mat): Mat {
  return {
    a: m.a * n.a + m.c * n.b,
    b: m.b * n.a + m.d * n.b,
    c: m.a * n.c + m.c * n.d,
    d: m.b * n.c + m.d * n.d,
    e: m.a * n.e + m.c * n.f + m.e,
    f: m.b * n.e + m.d * n.f + m.f,
  }
}

/** tldraw's local transform of a shape: translate to (x, y), then rotate about that point. */
function localTransform(shape: TLShape): Mat {
  if (shape.rotation === 0) return { ...IDENTITY, e: shape.x, f: shape.y }
  const cos = Math.cos(shape.rotation)
  const sin = Math.sin(shape.rotation)
  return { a: cos, b: sin, c: -sin, d: cos, e: shape.x, f: shape.y }
}

/** Applies `m` to `p`. */
export function applyMat(m: Mat, p: Point): Point {
  return { x: m.a * p.x + m.c * p.y + m.e, y: m.b * p.x + m.d * p.y + m.f }
}

/** Maps a page point into the space of the shape whose page transform is `m`. */
export function toShapeSpace(m: Mat, p: Point): Point {
  const det = m.a * m.d - m.b * m.c
  const x = p.x - m.e
  const y = p.y - m.f
  // Unrotated shapes (det 1, no shear) stay exact: no division rounding on border points.
  if (m.b === 0 && m.c === 0 && m.a === 1 && m.d === 1) return { x, y }
  return { x: (m.d * x - m.c * y) / det, y: (m.a * y - m.b * x) / det }
}

/**
 * Page transforms of the shapes of one board, following `parentId` through frames and groups.
 * A shape whose parent is missing (or a parent chain that loops) has no page transform: its
 * position on the page is unknown.
 */
export function pageTransforms(shapes: ReadonlyMap<string, TLShape>): Map<string, Mat | null> {
  const result = new Map<string, Mat | null>()
  const visiting = new Set<string>()
  const resolve = (id: string): Mat | null => {
    const known = result.get(id)
    if (known !== undefined) return known
    const shape = shapes.get(id)
    if (!shape || visiting.has(id)) return null
    visiting.add(id)
    const parentId: string = shape.parentId
    // On the page (most shapes) the page transform is the local one: no product to compute.
    const onPage = parentId.startsWith('page:')
    const parent = onPage ? IDENTITY : resolve(parentId)
    visiting.delete(id)
    const transform = onPage ? localTransform(shape) : parent ? multiply(parent, localTransform(shape)) : null
    result.set(id, transform)
    return transform
  }
  for (const id of shapes.keys()) resolve(id)
  return result
}

/** tldraw's note is 200 × 200 before `scale`, plus `growY` when its text overflows. */
const NOTE_SIZE = 200
/** tldraw's text font sizes (px) per size style, and its theme line height. */
const TEXT_FONT_SIZES: Record<string, number> = { s: 18, m: 24, l: 36, xl: 44 }
const TEXT_LINE_HEIGHT = 1.35

/**
 * The size of a shape in its own space. Exact for notes, geo shapes, frames and cards; an
 * estimate for text shapes (their height depends on font measurement: lines × line height).
 * @param lines number of text lines, used for text shapes
 */
export function shapeSize(shape: TLShape, lines = 1): { w: number; h: number } {
  switch (shape.type) {
    case 'note': {
      const { scale, growY } = shape.props
      return { w: NOTE_SIZE * scale, h: (NOTE_SIZE + growY) * scale }
    }
    case 'geo':
      return { w: shape.props.w, h: shape.props.h + shape.props.growY }
    case 'text': {
      const { w, scale, size } = shape.props
      const fontSize = TEXT_FONT_SIZES[size] ?? 24
      return { w: w * scale, h: Math.max(1, lines) * fontSize * TEXT_LINE_HEIGHT * scale }
    }
    default: {
      const props: object = shape.props
      return {
        w: 'w' in props && typeof props.w === 'number' ? props.w : 0,
        h: 'h' in props && typeof props.h === 'number' ? props.h : 0,
      }
    }
  }
}

/**
 * Whether a page point lies inside a frame, in the frame's own space (so rotated frames work).
 * Intervals are half-open: the left and top edges belong to the frame, the right and bottom
 * edges do not, so a point on the edge two adjacent frames share belongs to exactly one of them
 * (the one to the right, or below) ([P6]).
 */
export function frameContains(frameTransform: Mat, size: { w: number; h: number }, point: Point): boolean {
  const local = toShapeSpace(frameTransform, point)
  return local.x >= 0 && local.x < size.w && local.y >= 0 && local.y < size.h
}

/** A shape placed on the page, for ordering: its page centre and its height. */
export interface Placed {
  id: string
  center: Point
  h: number
}

/**
 * Sorts items in reading order: top to bottom, then left to right within a row. A row starts
 * with its topmost remaining item; every item whose centre lies within that item's lower half
 * (centre y at most half its height below the row's first centre) is on the same row and the
 * row is read left to right. Ties are broken by id so the order is deterministic ([P7]).
 * @example
 * readingOrder([
 *   { id: 'b', center: { x: 500, y: 100 }, h: 200 },
 *   { id: 'a', center: { x: 100, y: 140 }, h: 200 }, // 40 lower: same row, further left
 * ]).map((p) => p.id) // ['a', 'b']
 */
export function readingOrder<T extends Placed>(items: readonly T[]): T[] {
  const byTop = [...items].sort((p, q) => p.center.y - q.center.y || p.center.x - q.center.x || compareIds(p.id, q.id))
  const ordered: T[] = []
  let row: T[] = []
  let rowEnd = -Infinity
  for (const item of byTop) {
    if (row.length > 0 && item.center.y > rowEnd) {
      ordered.push(...sortRow(row))
      row = []
    }
    if (row.length === 0) rowEnd = item.center.y + item.h / 2
    row.push(item)
  }
  ordered.push(...sortRow(row))
  return ordered
}

function sortRow<T extends Placed>(row: T[]): T[] {
  return row.sort((p, q) => p.center.x - q.center.x || compareIds(p.id, q.id))
}

function compareIds(p: string, q: string): number {
  return p < q ? -1 : p > q ? 1 : 0
}
