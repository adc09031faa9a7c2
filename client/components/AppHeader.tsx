import type { ReactNode } from 'react'
import { Link } from 'react-router'

/** The top bar: the Keyplan mark, then whatever the page puts beside it. */
export function AppHeader({ children }: { children?: ReactNode }) {
  return (
    <header className="app-header">
      <Link className="brand" to="/" aria-label="Keyplan home">
        <span className="brand-mark" aria-hidden="true">
          K
        </span>
        <span className="brand-name">Keyplan</span>
      </Link>
      {children}
    </header>
  )
}
