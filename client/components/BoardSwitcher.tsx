import { useEffect, useRef } from 'react'
import { NavLink, useLocation } from 'react-router'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { useUnsentBoards } from '../board/unsentEdits.ts'

const UNSENT_HINT = 'Your edits on this board have not reached the server yet. They are kept in this browser and sent as soon as the connection is back.'

/** The board path a tab was chosen for from the keyboard, until that board's tabs take the focus. */
let keyboardChoice: string | null = null

/**
 * Tabs for the boards this role may open (a guest's never lists internal boards); each is a
 * shareable link that keeps the query (`?name=`). [S44] A board this browser holds edits of that
 * the server has not received yet (made offline, here or in a closed tab) is marked until they are sent.
 */
export function BoardSwitcher({ workshopId, boards }: { workshopId: string; boards: readonly BoardId[] }) {
  const { search, pathname } = useLocation()
  const nav = useRef<HTMLElement>(null)
  const unsent = useUnsentBoards(workshopId)
  // Where the tabs scroll (a phone), the current board's tab is brought into view; a tab chosen
  // from the keyboard keeps the focus on the new board's tab (QA q27b: the page rebuilt its header
  // and the focus fell to the page's body).
  useEffect(() => {
    const active = nav.current?.querySelector<HTMLElement>('.board-tab-active')
    active?.scrollIntoView({ block: 'nearest', inline: 'nearest' })
    // Read once, whichever board this is: a choice that led elsewhere (another tab opened) is dropped.
    const chosen = keyboardChoice
    keyboardChoice = null
    if (chosen === pathname) active?.focus()
  }, [pathname])
  return (
    <nav className="board-switcher" aria-label="Boards" ref={nav}>
      {boards.map((board) => (
        <NavLink
          key={board}
          to={`/w/${encodeURIComponent(workshopId)}/${board}${search}`}
          className={({ isActive }) => (isActive ? 'board-tab board-tab-active' : 'board-tab')}
          title={unsent.has(board) ? UNSENT_HINT : undefined}
          onClick={(event) => {
            // A click with no pointer (`detail` 0): Enter on the focused tab.
            if (event.detail === 0 && !event.metaKey && !event.ctrlKey && !event.shiftKey) keyboardChoice = `/w/${encodeURIComponent(workshopId)}/${board}`
          }}
        >
          {BOARD_TITLES[board]}
          {unsent.has(board) && (
            <>
              <span className="board-tab-unsent" aria-hidden="true" />
              <span className="visually-hidden">, not sent yet</span>
            </>
          )}
        </NavLink>
      ))}
    </nav>
  )
}
