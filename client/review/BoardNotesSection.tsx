import type { NoteBoard, PlanBoardNote } from '../../shared/plan.ts'
import type { PlanDiff } from '../../shared/planDiff.ts'
import { NoteItem, RemovedNote } from './NoteItems.tsx'
import { sectionChanges } from './planChanges.ts'

/**
 * [P17] The notes written on a board beside its cards (a stakeholder map's "budget frozen until
 * Q3"), under the board's section, with what changed since the snapshot compared with; nothing
 * when the board has none and none was removed.
 */
export function BoardNotesSection({ notes, board, diff }: { notes: readonly PlanBoardNote[] | undefined; board: NoteBoard; diff: PlanDiff['notes'] }) {
  const changes = sectionChanges(diff, (note) => note.id)
  const items = (notes ?? []).filter((note) => note.board === board)
  const removed = changes?.removed.filter((note) => note.board === board) ?? []
  if (items.length === 0 && removed.length === 0) return null
  const heading = `plan-${board}-notes-heading`
  return (
    <section className="plan-section board-notes" aria-labelledby={heading}>
      <h2 id={heading} className="plan-section-heading">
        Notes on the board <span className="count">{items.length}</span>
      </h2>
      <ul className="swot-items">
        {items.map((note) => (
          <NoteItem key={note.id} text={note.text} author={note.author} change={changes?.byId.get(note.id)} />
        ))}
        {removed.map((note) => (
          <RemovedNote key={note.id} text={note.text} />
        ))}
      </ul>
    </section>
  )
}
