import { NavLink, useLocation } from 'react-router'
import { BOARD_IDS, BOARD_TITLES } from '../../shared/boards.ts'

/** Tabs for the workshop's boards; each is a shareable link that keeps the query (`?name=`). */
export function BoardSwitcher({ workshopId }: { workshopId: string }) {
  const { search } = useLocation()
  return (
    <nav className="board-switcher" aria-label="Boards">
      {BOARD_IDS.map((board) => (
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
