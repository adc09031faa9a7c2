import { useEffect, useMemo, useState } from 'react'
import { Link } from 'react-router'
import { BOARD_TITLES, isBoardId, type BoardId } from '../../shared/boards.ts'
import { browserUser, getStoredName, onStoredNameChange } from '../identity.ts'
import { RoomAnnouncer, type Announcement } from './RoomAnnouncer.tsx'
import { summonAnnouncement } from './summonText.ts'
import { useRoomControl } from './useRoomControl.ts'

/** A call to the boards the person chose to answer or not: a summons or a running presentation. */
type Call = { kind: 'summons'; leaderName: string; board: BoardId } | { kind: 'presentation'; leaderName: string; board: BoardId }

/**
 * The room seen from a workshop page without a board (the Snapshots page): the page stays in the
 * workshop's participant list, "not on a board", so someone following this person keeps following
 * them and goes along when they open a board again (QA q35a: the follower read "has left the
 * workshop" and stopped following for good). A summons or a presentation is not forced on a person
 * reading the review: it is shown, with a link to the board, and said to a screen reader.
 */
export function RoomCalls({ workshopId, visibleBoards, onAccessChanged, onWorkshopChanged }: {
  workshopId: string
  /** The boards this person may open (null until known): a call to any other is not offered. */
  visibleBoards: readonly BoardId[] | null
  onAccessChanged(): void
  onWorkshopChanged(): void
}) {
  const [name, setName] = useState(getStoredName)
  useEffect(() => onStoredNameChange(setName), [])
  const user = useMemo(() => browserUser(name), [name])
  const [announcement, setAnnouncement] = useState<Announcement | null>(null)
  const [summons, setSummons] = useState<{ leaderName: string; board: BoardId } | null>(null)
  // Whose presentation runs (their user id), as the server last said.
  const [presenter, setPresenter] = useState<string | null>(null)
  const control = useRoomControl(workshopId, user, null, {
    onSummoned: (event) => {
      // The leader's own tabs are theirs to move.
      if (event.leader === user?.id) return
      setAnnouncement({ text: summonAnnouncement(event).replace(/: you (follow them|stay where you are)$/, ''), at: Date.now() })
      if (event.present) setPresenter(event.leader)
      else if (event.board !== 'internal') setSummons({ leaderName: event.leaderName, board: event.board })
    },
    onPresentEnded: (leader) => setPresenter((current) => (current === leader ? null : current)),
    onWelcome: (welcome) => setPresenter(welcome.presenter && welcome.presenter.userId !== user?.id ? welcome.presenter.userId : null),
    onAccessChanged,
    onWorkshopChanged,
  })

  // The presentation's board, from where the presenter's page is now.
  const presenting = presenter === null ? undefined : control.participants.find((p) => p.userId === presenter && p.where !== null)
  let call: Call | null = null
  if (presenting?.where && isBoardId(presenting.where)) call = { kind: 'presentation', leaderName: presenting.name, board: presenting.where }
  else if (summons) call = { kind: 'summons', ...summons }
  const offered = call !== null && visibleBoards !== null && visibleBoards.includes(call.board) ? call : null
  const base = `/w/${encodeURIComponent(workshopId)}`

  return (
    <>
      <RoomAnnouncer control={control} said={announcement} />
      {offered && (
        <div className="room-call" role="status">
          <span>
            {offered.kind === 'presentation'
              ? `${offered.leaderName} is presenting ${BOARD_TITLES[offered.board]}.`
              : `${offered.leaderName} brought everyone to ${BOARD_TITLES[offered.board]}.`}
          </span>
          <Link className="button primary" to={`${base}/${offered.board}`}>
            {offered.kind === 'presentation' ? 'Join the presentation' : `Go to ${BOARD_TITLES[offered.board]}`}
          </Link>
          {offered.kind === 'summons' && (
            <button type="button" className="button" onClick={() => setSummons(null)}>
              Stay here
            </button>
          )}
        </div>
      )}
    </>
  )
}
