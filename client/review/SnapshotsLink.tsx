import { Link } from 'react-router'
import './review.css'

/** The workshop header's way to the review page (`/w/:workshopId/snapshots`). */
export function SnapshotsLink({ workshopId }: { workshopId: string }) {
  return (
    <Link
      className="button"
      to={`/w/${encodeURIComponent(workshopId)}/snapshots`}
      aria-label="Snapshots"
      title="Snapshots: review, compare, export and restore"
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
