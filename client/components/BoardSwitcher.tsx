import { useEffect, useRef } from 'react'
import { NavLink, useLocation } from 'react-router'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'

/**
 * Tabs for the boards this role may open (a guest's never lists internal boards); each is a
 * shareable link that keeps the query (`?name=`).
 */
export function BoardSwitcher({ workshopId, boards }: { workshopId: string; boards: readonly BoardId[] }) {
  const { search, pathname } = useLocation()
  const nav = useRef<HTMLElement>(null)
  // Where the tabs scroll (a phone), the current board's tab is brought into view.
  useEffect(() => {
    nav.current?.querySelector('.board-tab-active')?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
  }, [pathname])
  return (
    <nav className="board-switcher" aria-label="Boards" ref={nav}>
      {boards.map((board) => (
        <NavLink
          key={board}
          to={`/w/${encodeURIComponent(workshopId)}/${board}${search}`}
          className={({ isActive }) => (isActive ? 'board-tab board-tab-active' : 'board-tab')}
        >
          {BOARD_TITLES[board]}
        </NavLink>
      ))}
    </nav>
  )
}
