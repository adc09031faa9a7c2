import { Link } from 'react-router'
import './review.css'

/** The workshop header's way to the review page (`/w/:workshopId/snapshots`). */
/** The header's link to the snapshots; `canRestore`: this role may restore a board (a guest may not: QA q30b, the title promised it). */
export function SnapshotsLink({ workshopId, canRestore }: { workshopId: string; canRestore: boolean }) {
  return (
    <Link
      className="button"
      to={`/w/${encodeURIComponent(workshopId)}/snapshots`}
      aria-label="Snapshots"
      title={canRestore ? 'Snapshots: review, compare, export and restore' : 'Snapshots: review, compare and export'}
    >
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <path d="M3 12a9 9 0 1 0 3-6.7" />
        <path d="M3 4v5h5" />
        <path d="M12 7v5l3 2" />
      </svg>
      <span className="compact-label">Snapshots</span>
    </Link>
  )
}
