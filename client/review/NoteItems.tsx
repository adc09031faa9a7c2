import type { ReactNode } from 'react'
import { ChangeBadge } from './Changes.tsx'
import { formatValue } from './format.ts'
import { changeClass, fieldChange, type ItemChange } from './planChanges.ts'

/**
 * A note of a plan list (a SWOT quadrant, the notes on a board): its text, what changed since the
 * snapshot compared with (its text before, and `more`, e.g. the quadrant it moved from), its author.
 */
export function NoteItem({ text, author, change, more }: { text: string; author: string | undefined; change: ItemChange | undefined; more?: ReactNode }) {
  const before = fieldChange(change, 'text')
  return (
    <li className={`swot-item${changeClass(change)}`}>
      <span className="swot-item-text">{text || <span className="placeholder">Empty note</span>}</span>
      <ChangeBadge change={change} />
      {before && (
        <span className="swot-item-was">
          was <del>{formatValue('text', before.before)}</del>
        </span>
      )}
      {more}
      {author && <span className="swot-item-author">{author}</span>}
    </li>
  )
}

/** A note gone since the snapshot compared with. */
export function RemovedNote({ text }: { text: string }) {
  return (
    <li className="swot-item is-removed">
      <del>{text || 'Empty note'}</del>
      <span className="change-badge change-badge-removed">Removed</span>
    </li>
  )
}
