import type { ReactNode } from 'react'
import { Link } from 'react-router'
import { orgKey } from '../credentials.ts'

/**
 * The top bar: the Keyplan mark, then whatever the page puts beside it. Inside a workshop
 * (`workshopId`) the mark leads to the lobby only for someone who holds the organisation key in
 * this browser; anyone else (a customer's guest, a colleague on a link) goes to the workshop's
 * first board, since the lobby would only ask them for a key (QA q30b).
 */
export function AppHeader({ children, workshopId }: { children?: ReactNode; workshopId?: string }) {
  const home = workshopId === undefined || orgKey() !== undefined ? '/' : `/w/${encodeURIComponent(workshopId)}`
  return (
    <header className="app-header">
      <Link className="brand" to={home} aria-label={home === '/' ? 'Keyplan home' : 'Back to the workshop'}>
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span className="brand-name">Keyplan</span>
      </Link>
      {children}
    </header>
  )
}
