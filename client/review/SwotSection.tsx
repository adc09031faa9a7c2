import { SWOT_QUADRANTS, SWOT_QUADRANT_TITLES, type Swot, type SwotItem } from '../../shared/plan.ts'
import type { PlanDiff, SwotDiffItem, SwotPlace } from '../../shared/planDiff.ts'
import { formatValue } from './format.ts'
import { NoteItem, RemovedNote } from './NoteItems.tsx'
import { fieldChange, sectionChanges, type ItemChange, type SectionChanges } from './planChanges.ts'

const PLACES: readonly SwotPlace[] = [...SWOT_QUADRANTS, 'unsorted']
const PLACE_TITLES: Record<SwotPlace, string> = { ...SWOT_QUADRANT_TITLES, unsorted: 'Unsorted' }
const PLACE_HINTS: Record<SwotPlace, string> = {
  strengths: 'Internal · helpful',
  weaknesses: 'Internal · harmful',
  opportunities: 'External · helpful',
  threats: 'External · harmful',
  unsorted: 'Notes outside every quadrant',
}

/** The SWOT lists: one card per quadrant, plus the notes left outside every quadrant. */
export function SwotSection({ swot, diff }: { swot: Swot; diff: PlanDiff['swot'] }) {
  const changes = sectionChanges(diff, (item) => item.id)
  const places = PLACES.filter((place) => place !== 'unsorted' || swot.unsorted.length > 0 || removedFrom(changes, place).length > 0)
  return (
    <section className="plan-section" aria-labelledby="plan-swot-heading">
      <h2 id="plan-swot-heading" className="plan-section-heading">
        SWOT
      </h2>
      <div className="swot-grid">
        {places.map((place) => (
          <Quadrant key={place} place={place} items={swot[place]} changes={changes} />
        ))}
      </div>
    </section>
  )
}

function removedFrom(changes: SectionChanges<SwotDiffItem> | null, place: SwotPlace): readonly SwotDiffItem[] {
  return changes?.removed.filter((item) => item.quadrant === place) ?? []
}

function Quadrant({ place, items, changes }: { place: SwotPlace; items: readonly SwotItem[]; changes: SectionChanges<SwotDiffItem> | null }) {
  const removed = removedFrom(changes, place)
  return (
    <div className={`swot-quadrant swot-${place}`} data-quadrant={place}>
      <header className="swot-quadrant-header">
        <h3>{PLACE_TITLES[place]}</h3>
        <span className="swot-quadrant-hint">{PLACE_HINTS[place]}</span>
        <span className="count">{items.length}</span>
      </header>
      {items.length === 0 && removed.length === 0 ? (
        <p className="empty-hint">No notes</p>
      ) : (
        <ul className="swot-items">
          {items.map((item) => (
            <SwotNote key={item.id} item={item} change={changes?.byId.get(item.id)} />
          ))}
          {removed.map((item) => (
            <RemovedNote key={item.id} text={item.text} />
          ))}
        </ul>
      )}
    </div>
  )
}

function SwotNote({ item, change }: { item: SwotItem; change: ItemChange | undefined }) {
  const moved = fieldChange(change, 'quadrant')
  return <NoteItem text={item.text} author={item.author} change={change} more={moved && <span className="swot-item-was">moved from {formatValue('quadrant', moved.before)}</span>} />
}

