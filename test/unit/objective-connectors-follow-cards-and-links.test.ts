/**
 * Issue 15: the connectors drawn on the objectives board are laid out from the objective cards'
 * bounds and the live links, so they follow a moved card and a changed link ([P11]).
 */
import { describe, expect, test } from 'vitest'
import { CHIP, layoutConnectors, type ObjectiveLinks } from '../../client/board/objectiveConnectors.ts'

const links: ObjectiveLinks = [
  { id: 'shape:o1', title: 'Grow revenue', actions: [{ id: 'shape:a1', title: 'Pilot' }, { id: 'shape:a2', title: 'QBR' }] },
  { id: 'shape:o2', title: 'Lift NPS', actions: [] },
]
const o1 = { id: 'shape:o1', x: 100, y: 50, w: 280, h: 170 }
const o2 = { id: 'shape:o2', x: 100, y: 400, w: 280, h: 170 }

describe('objective connectors', () => {
  test('each linked action is a chip right of its objective, the column centred on the card, an arrow from the card edge', () => {
    const connectors = layoutConnectors([o1, o2], links)
    expect(connectors.map((c) => [c.objectiveId, c.actionId, c.title])).toEqual([
      ['shape:o1', 'shape:a1', 'Pilot'],
      ['shape:o1', 'shape:a2', 'QBR'],
    ])
    const [first, second] = connectors
    expect(first?.from).toEqual({ x: 380, y: 135 })
    expect(first?.chip.x).toBe(380 + CHIP.offset)
    // Centred: the gap between the chips straddles the card's middle.
    expect(((first?.chip.y ?? 0) + CHIP.h + (second?.chip.y ?? 0)) / 2).toBe(135)
    expect(second?.to).toEqual({ x: 380 + CHIP.offset, y: (second?.chip.y ?? 0) + CHIP.h / 2 })
  })

  test('a moved card takes its connectors along', () => {
    const before = layoutConnectors([o1], links)
    const after = layoutConnectors([{ ...o1, x: 400, y: 250 }], links)
    expect(after.map((c) => c.chip.x - (before.find((b) => b.actionId === c.actionId)?.chip.x ?? 0))).toEqual([300, 300])
    expect(after.map((c) => c.from)).toEqual([{ x: 680, y: 335 }, { x: 680, y: 335 }])
  })

  test('a link removed on the action plan removes its connector; an objective not on the board draws none', () => {
    const unlinked: ObjectiveLinks = [{ id: 'shape:o1', title: 'Grow revenue', actions: [{ id: 'shape:a2', title: 'QBR' }] }]
    expect(layoutConnectors([o1], unlinked).map((c) => c.actionId)).toEqual(['shape:a2'])
    expect(layoutConnectors([o2], links)).toEqual([])
    expect(layoutConnectors([], links)).toEqual([])
  })
})

describe('objective connectors beside other cards (QA q27c)', () => {
  const neighbour = { id: 'shape:o2', x: 390, y: 50, w: 280, h: 170 }
  const chipsOver = (connectors: ReturnType<typeof layoutConnectors>, card: typeof neighbour) =>
    connectors.filter((c) => c.chip.x < card.x + card.w && card.x < c.chip.x + c.chip.w && c.chip.y < card.y + card.h && card.y < c.chip.y + c.chip.h)

  test('a card 10 px to the right: the chips go left of the objective, the arrows from its left edge', () => {
    const connectors = layoutConnectors([o1, neighbour], links)
    expect(chipsOver(connectors, neighbour)).toEqual([])
    expect(connectors.map((c) => c.chip.x)).toEqual([100 - CHIP.offset - CHIP.w, 100 - CHIP.offset - CHIP.w])
    expect(connectors[0]?.from).toEqual({ x: 100, y: 135 })
    expect(connectors[0]?.to.x).toBe(100 - CHIP.offset)
  })

  test('cards on both sides: below the objective; every side taken: right, as before', () => {
    const left = { id: 'shape:o3', x: -190, y: 50, w: 280, h: 170 }
    const below = layoutConnectors([o1, neighbour, left], links)
    expect(chipsOver(below, neighbour)).toEqual([])
    expect(chipsOver(below, left)).toEqual([])
    // A row below the card, each arrow from its own point of the bottom edge, straight into its chip (review: a column below had its arrows run through the chips above).
    expect(below.map((c) => c.chip.y)).toEqual([below[0]?.chip.y, below[0]?.chip.y])
    expect(below[0]?.chip.y).toBeGreaterThan(220)
    expect(below.map((c) => c.from.y)).toEqual([220, 220])
    expect(new Set(below.map((c) => c.from.x)).size).toBe(2)
    for (const c of below) expect(c.from.x > c.chip.x && c.from.x < c.chip.x + c.chip.w).toBe(true)
    const under = { id: 'shape:o4', x: 100, y: 230, w: 280, h: 170 }
    expect(layoutConnectors([o1, neighbour, left, under], links)[0]?.chip.x).toBe(380 + CHIP.offset)
  })
})
