import type { LiveHealth } from '../../shared/snapshotApi.ts'
import type { ShapeBox } from './shapeBoxes.ts'

/** The objectives with the actions linked to them, as the live health reports them. */
export type ObjectiveLinks = LiveHealth['objectives']

/** A card's bounds on the page: a layer's {@link ShapeBox}, with any id (plain ones in tests). */
export type CardBox = Omit<ShapeBox, 'id'> & { id: string }

/** One drawn link: a chip naming the action beside its objective, and the arrow between them. */
export interface Connector {
  objectiveId: string
  actionId: string
  title: string
  chip: { x: number; y: number; w: number; h: number }
  from: { x: number; y: number }
  to: { x: number; y: number }
}

/** Chip size and spacing, in page units. */
export const CHIP = { w: 210, h: 34, gap: 10, offset: 80 } as const

type Box = { x: number; y: number; w: number; h: number }

const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h

/**
 * The chips of `count` actions beside `card` on `side`: a column right or left of it, centred on
 * it, the arrows from the middle of that edge; below it, a row (a column below would have its
 * arrows run through the chips above), each arrow from its own point of the bottom edge.
 */
function chipsOn(card: CardBox, count: number, side: 'right' | 'left' | 'below') {
  if (side === 'below') {
    const width = count * CHIP.w + Math.max(0, count - 1) * CHIP.gap
    const left = card.x + card.w / 2 - width / 2
    const y = card.y + card.h + CHIP.offset / 2
    return {
      box: { x: left, y: card.y + card.h, w: width, h: CHIP.offset / 2 + CHIP.h },
      chip: (i: number) => ({ x: left + i * (CHIP.w + CHIP.gap), y, w: CHIP.w, h: CHIP.h }),
      from: (i: number) => ({ x: card.x + (card.w * (i + 1)) / (count + 1), y: card.y + card.h }),
      to: (chip: Box) => ({ x: chip.x + CHIP.w / 2, y: chip.y }),
    }
  }
  const height = count * CHIP.h + Math.max(0, count - 1) * CHIP.gap
  const top = card.y + card.h / 2 - height / 2
  const x = side === 'right' ? card.x + card.w + CHIP.offset : card.x - CHIP.offset - CHIP.w
  const edge = side === 'right' ? card.x + card.w : card.x
  return {
    // The arrows' run from the card's edge counts as taken too.
    box: { x: side === 'right' ? edge : x, y: top, w: CHIP.offset + CHIP.w, h: height },
    chip: (i: number) => ({ x, y: top + i * (CHIP.h + CHIP.gap), w: CHIP.w, h: CHIP.h }),
    from: () => ({ x: edge, y: card.y + card.h / 2 }),
    to: (chip: Box) => ({ x: side === 'right' ? chip.x : chip.x + CHIP.w, y: chip.y + CHIP.h / 2 }),
  }
}

/**
 * Where the connectors of each objective card go: its linked actions as chips beside the card,
 * each with an arrow from the card's edge: a column right of the card, or, where another card (or
 * chips placed before) would be under them or their arrows, left of it, or a row below it (QA q27c: a
 * chip drawn over the neighbouring card hid its KPI and read as that card's action); right when
 * every side is taken. Derived from the cards' bounds and the links on every render, so it follows
 * a moved card and a changed link and is never stored: the action lives on another board (another
 * document, [P11]).
 *
 * @example layoutConnectors([{ id: 'shape:o1', x: 0, y: 0, w: 280, h: 170 }], [{ id: 'shape:o1', title: 'Grow', actions: [{ id: 'shape:a1', title: 'Pilot' }] }])
 */
export function layoutConnectors(cards: readonly CardBox[], links: ObjectiveLinks): Connector[] {
  const actionsOf = new Map(links.map((link) => [link.id, link.actions]))
  const taken: Box[] = [...cards]
  return cards.flatMap((card) => {
    const actions = actionsOf.get(card.id) ?? []
    if (actions.length === 0) return []
    const sides = (['right', 'left', 'below'] as const).map((side) => chipsOn(card, actions.length, side))
    const column = sides.find((side) => !taken.some((box) => box !== card && overlaps(side.box, box))) ?? sides[0]
    if (!column) return []
    taken.push(column.box)
    return actions.map((action, i): Connector => {
      const chip = column.chip(i)
      return { objectiveId: card.id, actionId: action.id, title: action.title, chip, from: column.from(i), to: column.to(chip) }
    })
  })
}
