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

/**
 * Where the connectors of each objective card go: its linked actions as a column of chips right of
 * the card, centred on it, each with an arrow from the card's right edge. Derived from the card's
 * bounds and the links on every render, so it follows a moved card and a changed link and is
 * never stored: the action lives on another board (another document, [P11]).
 *
 * @example layoutConnectors([{ id: 'shape:o1', x: 0, y: 0, w: 280, h: 170 }], [{ id: 'shape:o1', title: 'Grow', actions: [{ id: 'shape:a1', title: 'Pilot' }] }])
 */
export function layoutConnectors(cards: readonly CardBox[], links: ObjectiveLinks): Connector[] {
  const actionsOf = new Map(links.map((link) => [link.id, link.actions]))
  return cards.flatMap((card) => {
    const actions = actionsOf.get(card.id) ?? []
    const column = actions.length * CHIP.h + Math.max(0, actions.length - 1) * CHIP.gap
    const top = card.y + card.h / 2 - column / 2
    const from = { x: card.x + card.w, y: card.y + card.h / 2 }
    return actions.map((action, i): Connector => {
      const chip = { x: card.x + card.w + CHIP.offset, y: top + i * (CHIP.h + CHIP.gap), w: CHIP.w, h: CHIP.h }
      return { objectiveId: card.id, actionId: action.id, title: action.title, chip, from, to: { x: chip.x, y: chip.y + CHIP.h / 2 } }
    })
  })
}
