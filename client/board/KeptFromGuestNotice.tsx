import { useMemo, useState } from 'react'
import { useEditor, useValue, type TLShape, type TLShapeId } from 'tldraw'
import { isPlainObject } from '../../shared/FieldIndex.ts'
import { INTERNAL_META_KEY, KEPT_FROM_GUEST_META_KEY } from '../../shared/sensitivity.ts'
import { shapeIdsWhere, type ShapePick } from './shapeBoxes.ts'

/** A card the server kept for the team when a guest deleted it (docs/security.md [A40]). */
type KeptCard = { id: TLShapeId; key: string; title: string; by: string }

/** Where this browser remembers the kept cards it was told of and chose to keep. */
const DISMISSED_KEY = 'keyplan.keptFromGuest.dismissed'

function readDismissed(): Set<string> {
  try {
    const stored: unknown = JSON.parse(localStorage.getItem(DISMISSED_KEY) ?? '[]')
    return new Set(Array.isArray(stored) ? stored.filter((entry): entry is string => typeof entry === 'string') : [])
  } catch {
    return new Set()
  }
}

function keptOf(shape: TLShape): { by: string; at: number } | undefined {
  // Made visible since, it is a card like any other.
  if (shape.meta[INTERNAL_META_KEY] !== true) return undefined
  const kept = shape.meta[KEPT_FROM_GUEST_META_KEY]
  if (!isPlainObject(kept)) return undefined
  const { by, at } = kept
  return typeof by === 'string' && typeof at === 'number' ? { by, at } : undefined
}

/** Kept copies: what marks one is in `meta`, which a move leaves as it was. */
const KEPT_PICK: ShapePick = { picks: (shape) => keptOf(shape) !== undefined, mayChange: (from, to) => from.meta !== to.meta }

function titleOf(shape: TLShape): string {
  const props = shape.props as Record<string, unknown> // card props: read by name, checked below
  for (const key of ['name', 'title', 'label']) {
    const value = props[key]
    if (typeof value === 'string' && value.trim() !== '') return value.trim()
  }
  return 'a card'
}

/**
 * [A40] Tells the team that a guest deleted a card they had written internal values on, and that
 * the server kept it for them as an internal copy (the lock and hatched edge of internal items).
 * "Delete for us too" deletes the copy; "Keep" dismisses the notice in this browser. A guest's
 * page never holds such a copy, so it never shows this.
 */
export function KeptFromGuestNotice() {
  const editor = useEditor()
  const [dismissed, setDismissed] = useState(readDismissed)
  // Only the kept cards' ids, change by change: a teammate's move of many cards re-derives nothing here.
  const ids = useMemo(() => shapeIdsWhere(editor.store, 'cards kept from guest deletes', KEPT_PICK), [editor])
  const kept = useValue(
    'cards kept from guest deletes',
    () => {
      const cards: KeptCard[] = []
      for (const id of ids.get()) {
        const shape = editor.getShape(id)
        const from = shape && keptOf(shape)
        if (!shape || !from) continue
        const guest = editor.getCollaborators().find((presence) => presence.userId === from.by)
        cards.push({ id: shape.id, key: `${shape.id}@${from.at}`, title: titleOf(shape), by: guest?.userName || 'A guest' })
      }
      return cards
    },
    [editor, ids],
  )
  const shown = kept.filter((card) => !dismissed.has(card.key))
  if (shown.length === 0) return null
  const keep = (card: KeptCard) => {
    const next = new Set(dismissed).add(card.key)
    localStorage.setItem(DISMISSED_KEY, JSON.stringify([...next]))
    setDismissed(next)
  }
  return (
    <div className="kept-deletes">
      {shown.map((card) => (
        <div key={card.key} className="field-kept" role="alert" data-testid="kept-from-guest">
          <p>
            {card.by} removed “{card.title}” from the shared board; your internal notes are kept on an internal copy.
          </p>
          <button type="button" className="button" onClick={() => editor.deleteShapes([card.id])}>
            Delete for us too
          </button>
          <button type="button" className="button" onClick={() => keep(card)}>
            Keep
          </button>
        </div>
      ))}
    </div>
  )
}
