import { useEffect, useState } from 'react'
import { Link, useNavigate, useParams, useSearchParams } from 'react-router'
import { BOARD_IDS, BOARD_TITLES, isBoardId, type BoardId } from '../../shared/boards.ts'
import type { PlanView } from '../../shared/plan.ts'
import { canRestore, canTakeSnapshot } from '../../shared/roles.ts'
import type { RestoreResult } from '../../shared/snapshotApi.ts'
import { ACCESS_TEXT, AccessNotice, RefusedLinkNotice } from '../access/AccessNotice.tsx'
import { useWorkshopAccess } from '../access/useWorkshopAccess.ts'
import { getWorkshop, getWorkshopTimeline, listSnapshots } from '../api.ts'
import { AppHeader } from '../components/AppHeader.tsx'
import { BoardSwitcher } from '../components/BoardSwitcher.tsx'
import { RoomCalls } from '../control/RoomCalls.tsx'
import { SaveSnapshotButton } from '../review/SaveSnapshotButton.tsx'
import { SnapshotTimeline } from '../review/SnapshotTimeline.tsx'
import { SnapshotView } from '../review/SnapshotView.tsx'
import { useRequest } from '../review/useRequest.ts'
import '../review/review.css'
import { useWorkshopTimeZone } from '../board/localDate.ts'

/**
 * `/w/:workshopId/snapshots`: the review after the meeting. A timeline of the workshop's
 * snapshots; the selected one (`?snapshot=`, newest by default) shows each board read-only
 * (`?board=`) beside the structured plan, with what changed since the snapshot before it or any
 * older one picked to compare with (`?against=`).
 */
export function SnapshotsPage() {
  const { workshopId = '' } = useParams()
  const [searchParams, setSearchParams] = useSearchParams()
  const navigate = useNavigate()
  const access = useWorkshopAccess(workshopId, 'snapshots')
  const workshop = useRequest(workshopId, (signal) => getWorkshop(workshopId, signal))
  // [P9] the boards' action cards are overdue by the workshop's date, as on its live boards.
  useWorkshopTimeZone(workshop.status === 'ready' ? workshop.data.timeZone : undefined)
  const list = useRequest(workshopId, (signal) => listSnapshots(workshopId, signal))
  const timeline = useRequest(list.status === 'ready' ? `${workshopId}/${list.data.length}/${list.data[0]?.id ?? ''}/${list.data.map((s) => s.label).join('|')}` : null, (signal) =>
    getWorkshopTimeline(workshopId, signal),
  )
  const collapsed = new Map(timeline.status === 'ready' ? timeline.data.entries.map((e) => [e.id, e.collapsed]) : [])
  const [notice, setNotice] = useState<string | null>(null)

  const requested = searchParams.get('snapshot')
  const boardParam = searchParams.get('board') ?? ''
  const board: BoardId | null = isBoardId(boardParam) ? boardParam : null
  const snapshots = list.status === 'ready' ? list.data : []
  const index = Math.max(0, snapshots.findIndex((snapshot) => snapshot.id === requested))
  const selected = snapshots[index] ?? null
  // Pick two: the timeline picks the newer snapshot, `?against=` any older one (the one before by default).
  const older = snapshots.slice(index + 1)
  const previous = older.find((snapshot) => snapshot.id === searchParams.get('against')) ?? older[0] ?? null

  const account = workshop.status === 'ready' ? workshop.data.account : null
  useEffect(() => {
    document.title = account ? `Snapshots · ${account} · Keyplan` : 'Snapshots · Keyplan'
  }, [account])

  // The notice after a restore fades after a while.
  useEffect(() => {
    if (!notice) return
    const timer = window.setTimeout(() => setNotice(null), 6000)
    return () => window.clearTimeout(timer)
  }, [notice])

  const base = `/w/${encodeURIComponent(workshopId)}`
  const hrefFor = (snapshotId: string) => {
    const query = new URLSearchParams({ snapshot: snapshotId })
    if (board) query.set('board', board)
    return `${base}/snapshots?${query}`
  }

  const showSaved = (snapshot: PlanView) => {
    list.reload()
    void navigate(hrefFor(snapshot.id))
  }

  if (access.state.kind === 'noToken') return <AccessNotice {...ACCESS_TEXT.noToken} />
  if (access.state.kind === 'refused') return <RefusedLinkNotice workshopId={workshopId} reason={access.state.message} />
  // Until the role is known, show only what every role may do.
  const view = access.state.kind === 'ready' ? access.state.access : null
  const facilitator = view !== null && canTakeSnapshot(view.role)
  const boards = view ? view.boards.map((b) => b.id) : BOARD_IDS

  return (
    <div className="review">
      <AppHeader workshopId={workshopId}>
        <div className="workshop-heading">
          <span className="workshop-heading-account">{workshop.status === 'ready' ? workshop.data.account : '\u00a0'}</span>
          <span className="workshop-heading-title">{workshop.status === 'ready' ? workshop.data.title : '\u00a0'}</span>
        </div>
        <BoardSwitcher workshopId={workshopId} boards={boards} />
        <span className="board-tab board-tab-active review-tab" aria-current="page">
          Snapshots
        </span>
        <div className="header-end">
          {facilitator && <SaveSnapshotButton workshopId={workshopId} primary onSaved={showSaved} />}
        </div>
      </AppHeader>
      <RoomCalls
        workshopId={workshopId}
        visibleBoards={view ? view.boards.map((b) => b.id) : null}
        onAccessChanged={access.reload}
        onWorkshopChanged={() => {
          workshop.reload()
          access.reload()
        }}
      />
      {notice && (
        <div className="toast" role="status">
          {notice}
        </div>
      )}
      <div className="review-body">
        {list.status === 'loading' && <div className="review-placeholder" role="status">Loading snapshots…</div>}
        {list.status === 'error' && (
          <div className="review-empty">
            <div className="card notice">
              <h1>Snapshots unavailable</h1>
              <p>{list.message}</p>
              <button type="button" className="button" onClick={list.reload}>
                Try again
              </button>
            </div>
          </div>
        )}
        {list.status === 'ready' && !selected && (
          <div className="review-empty">
            <div className="card notice">
              <h1>No snapshots yet</h1>
              <p className="muted">
                {facilitator
                  ? 'A snapshot turns the boards into a structured account plan (SWOT, stakeholders, objectives, actions, whitespace), kept as a version you can compare, export and restore. Save one now, or one is taken when the session ends.'
                  : 'A snapshot turns the boards into a structured account plan (SWOT, stakeholders, objectives, actions, whitespace), kept as a version to compare and export. The facilitator saves them, and one is taken when the session ends.'}
              </p>
              <div className="notice-actions">
                {facilitator && <SaveSnapshotButton workshopId={workshopId} primary onSaved={showSaved} />}
                <Link className="button" to={base}>
                  Back to the boards
                </Link>
              </div>
            </div>
          </div>
        )}
        {selected && (
          <>
            <aside className="timeline-pane" aria-label="Snapshot timeline">
              <h2 className="panel-heading">
                Timeline <span className="count">{snapshots.length}</span>
              </h2>
              <SnapshotTimeline snapshots={snapshots} selectedId={selected.id} hrefFor={hrefFor} collapsed={collapsed} timeZone={workshop.status === 'ready' ? workshop.data.timeZone : undefined} />
            </aside>
            <main className="review-main">
              <SnapshotView
                key={selected.id}
                workshopId={workshopId}
                snapshot={selected}
                previous={previous}
                older={older}
                onCompareWith={(id) => {
                  const query: Record<string, string> = { snapshot: selected.id, against: id }
                  if (board) query.board = board
                  setSearchParams(query, { replace: true })
                }}
                board={board}
                timeZone={workshop.status === 'ready' ? workshop.data.timeZone : undefined}
                canRestore={view !== null && canRestore(view.role)}
                canCompareWorkshops={view !== null && view.role !== 'guest'}
                onCurated={(deleted) => {
                  list.reload()
                  if (deleted) void navigate(`${base}/snapshots`)
                }}
                onSelectBoard={(id) => setSearchParams({ snapshot: selected.id, board: id, ...(previous ? { against: previous.id } : {}) }, { replace: true })}
                onRestored={(result) => {
                  // The restore adds a newer snapshot (taken before it): stay on this one.
                  setSearchParams({ snapshot: selected.id, board: result.board }, { replace: true })
                  list.reload()
                  setNotice(restoredNotice(result))
                }}
              />
            </main>
          </>
        )}
      </div>
    </div>
  )
}

function restoredNotice(result: RestoreResult): string {
  const skipped = result.skipped.length
  const unreadable = skipped === 0 ? '' : ` ${skipped === 1 ? '1 item' : `${skipped} items`} of the snapshot could not be restored.`
  if (result.beforeRestore === null) return `${BOARD_TITLES[result.board]} is already as in this snapshot: nothing was changed.${unreadable}`
  return `${BOARD_TITLES[result.board]} restored for everyone in the room; the board as it was before is saved as a snapshot.${unreadable}`
}
