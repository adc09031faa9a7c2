/**
 * The stakeholder map's geometry (issue 12): a new card goes to the free spot nearest the middle of
 * the view, never onto another card; a relationship line curves around the cards between its ends,
 * and two lines between the same cards curve apart.
 */
import { describe, expect, it } from 'vitest'
import { freeSpotNear, type Rect } from '../../client/board/freeSpot.ts'
import { cardsCrossed, chooseBend } from '../../client/board/relationshipLines.ts'

const SIZE = { w: 240, h: 150 }

function overlap(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h
}

describe('placing new cards', () => {
  it('puts the first card in the middle of the view', () => {
    expect(freeSpotNear({ x: 500, y: 300 }, SIZE, [])).toEqual({ x: 380, y: 225 })
  })

  it('puts each of ten new cards where no other card is, near the middle', () => {
    const placed: Rect[] = []
    for (let i = 0; i < 10; i++) placed.push({ ...freeSpotNear({ x: 500, y: 300 }, SIZE, placed), ...SIZE })
    for (const [i, a] of placed.entries()) {
      for (const b of placed.slice(i + 1)) expect(overlap(a, b)).toBe(false)
      expect(Math.hypot(a.x + SIZE.w / 2 - 500, a.y + SIZE.h / 2 - 300)).toBeLessThan(3 * (SIZE.w + 24))
    }
  })

  it('steps around a card that is not on the grid', () => {
    const odd: Rect = { x: 400, y: 250, w: 300, h: 200 }
    const spot = freeSpotNear({ x: 500, y: 300 }, SIZE, [odd])
    expect(overlap({ ...spot, ...SIZE }, odd)).toBe(false)
  })

  it('stays wholly inside the frame it is given, which would clip a card outside it', () => {
    // A quadrant with a card in its top left corner: the free spot nearest it is to its right, not above.
    const quadrant: Rect = { x: 0, y: 0, w: 600, h: 400 }
    const taken: Rect = { x: 20, y: 20, ...SIZE }
    const spot = freeSpotNear({ x: 140, y: 95 }, SIZE, [taken], undefined, quadrant)
    expect(overlap({ ...spot, ...SIZE }, taken)).toBe(false)
    expect(spot.x).toBeGreaterThanOrEqual(0)
    expect(spot.y).toBeGreaterThanOrEqual(0)
    expect(spot.x + SIZE.w).toBeLessThanOrEqual(600)
    expect(spot.y + SIZE.h).toBeLessThanOrEqual(400)
    // Without the frame the nearest free spot is outside it.
    const outside = freeSpotNear({ x: 140, y: 95 }, SIZE, [taken])
    expect(outside.x < 0 || outside.y < 0).toBe(true)
  })
})

describe('routing relationship lines', () => {
  const start = { x: 0, y: 0 }
  const end = { x: 600, y: 0 }
  const between: Rect = { x: 180, y: -75, w: 240, h: 150 }

  it('keeps a line straight when nothing is in its way', () => {
    expect(chooseBend(start, end, [{ x: 180, y: 300, w: 240, h: 150 }], [])).toBe(0)
  })

  it('curves a line around a card between its ends', () => {
    expect(cardsCrossed(start, end, 0, [between])).toBe(1)
    const bend = chooseBend(start, end, [between], [])
    expect(bend).not.toBe(0)
    expect(cardsCrossed(start, end, bend, [between])).toBe(0)
  })

  it('curves a second line between the same two cards away from the first', () => {
    const first = chooseBend(start, end, [], [])
    const second = chooseBend(start, end, [], [first])
    expect(Math.abs(second - first)).toBeGreaterThanOrEqual(20)
  })
})

describe('placing inside a frame from outside it (QA q28d)', () => {
  it('looks from the nearest spot wholly inside the frame, and falls back to one inside it', () => {
    const quadrant: Rect = { x: 0, y: 0, w: 960, h: 640 }
    // From a point far outside: still wholly inside.
    const spot = freeSpotNear({ x: -400, y: -300 }, SIZE, [], undefined, quadrant)
    expect(spot.x).toBeGreaterThanOrEqual(0)
    expect(spot.y).toBeGreaterThanOrEqual(0)
    // A full quadrant: the fallback is inside it too.
    const full: Rect[] = [{ x: 0, y: 0, w: 960, h: 640 }]
    const fallback = freeSpotNear({ x: 980, y: 660 }, SIZE, full, undefined, quadrant)
    expect(fallback.x + SIZE.w).toBeLessThanOrEqual(960)
    expect(fallback.y + SIZE.h).toBeLessThanOrEqual(640)
  })
})
