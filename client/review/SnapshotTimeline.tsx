import { Link } from 'react-router'
import type { BoardId } from '../../shared/boards.ts'
import type { PlanCounts, PlanSummary } from '../../shared/plan.ts'
import { formatDateTime, plural, snapshotTitle, TRIGGER_BADGES } from './format.ts'

interface SnapshotTimelineProps {
  snapshots: readonly PlanSummary[]
  selectedId: string | null
  hrefFor(snapshotId: string): string
  /** Per shown snapshot, the unchanged automatic snapshots it stands for ([K8]); those are not listed. */
  collapsed?: ReadonlyMap<string, readonly string[]>
  /** The workshop's time zone: times read as in its PDF and Markdown (the browser's until it is known). */
  timeZone?: string | undefined
}

/**
 * The workshop's snapshots, newest first, each with what it holds (notes, people, objectives,
 * actions, open opportunities: as the viewer may see them, [A36]); unchanged automatic ones folded
 * into the newest.
 */
export function SnapshotTimeline({ snapshots, selectedId, hrefFor, collapsed, timeZone }: SnapshotTimelineProps) {
  const hidden = new Set([...(collapsed?.values() ?? [])].flat())
  return (
    <ol className="timeline" aria-label="Snapshots">
      {snapshots.map((snapshot) => {
        const selected = snapshot.id === selectedId
        // A collapsed snapshot stays reachable by its link (?snapshot=), it is only not listed.
        if (hidden.has(snapshot.id) && !selected) return null
        const standsFor = collapsed?.get(snapshot.id)?.length ?? 0
        return (
          <li key={snapshot.id} className="timeline-item">
            <Link
              to={hrefFor(snapshot.id)}
              className={`timeline-entry${selected ? ' is-selected' : ''}`}
              aria-current={selected ? 'true' : undefined}
              data-snapshot-id={snapshot.id}
            >
              <span className={`timeline-dot timeline-dot-${snapshot.trigger}`} aria-hidden="true" />
              <span className="timeline-title">{snapshotTitle(snapshot)}</span>
              <span className={`trigger-badge trigger-${snapshot.trigger}`}>{TRIGGER_BADGES[snapshot.trigger]}</span>
              {standsFor > 0 && (
                <span className="timeline-collapsed" title="Earlier automatic snapshots with no change since">
                  +{standsFor} unchanged
                </span>
              )}
              <span className="timeline-meta">
                <time dateTime={snapshot.takenAt}>{formatDateTime(snapshot.takenAt, timeZone)}</time>
              </span>
              <Counts counts={snapshot.counts} />
            </Link>
          </li>
        )
      })}
    </ol>
  )
}

function Counts({ counts }: { counts: PlanCounts }) {
  const notes = counts.strengths + counts.weaknesses + counts.opportunities + counts.threats + counts.unsorted
  // A board this viewer does not see in the snapshot is not counted at all ("0 notes" read as an empty SWOT).
  const shown = (board: BoardId) => !counts.hidden?.includes(board)
  return (
    <span className="timeline-counts">
      {shown('swot') && (
        <span className="timeline-count" title={`${counts.strengths} S · ${counts.weaknesses} W · ${counts.opportunities} O · ${counts.threats} T`}>
          {plural(notes, 'note')}
        </span>
      )}
      {shown('stakeholders') && <span className="timeline-count">{plural(counts.stakeholders, 'person', 'people')}</span>}
      {/* Absent for a snapshot from before these boards, or a board this viewer does not see. */}
      {counts.objectives !== undefined && <span className="timeline-count">{plural(counts.objectives, 'objective')}</span>}
      {shown('actions') && <span className="timeline-count">{plural(counts.actions, 'action')}</span>}
      {counts.openOpportunities !== undefined && (
        <span className="timeline-count" title="Open opportunities on the whitespace board">
          {plural(counts.openOpportunities, 'open opportunity', 'open opportunities')}
        </span>
      )}
      {counts.overdue > 0 && <span className="timeline-count timeline-count-alert">{counts.overdue} overdue</span>}
      {counts.warnings > 0 && <span className="timeline-count timeline-count-alert">{plural(counts.warnings, 'warning')}</span>}
    </span>
  )
}
