import { useEffect, useMemo, useState } from 'react'
import { useParams, useSearchParams } from 'react-router'
import { useValue, type Editor } from 'tldraw'
import type { Workshop } from '../../shared/api.ts'
import { BOARD_TITLES, isBoardId, type BoardId } from '../../shared/boards.ts'
import { ApiRequestError, getWorkshop } from '../api.ts'
import { BoardCanvas } from '../board/BoardCanvas.tsx'
import { BoardToolbar } from '../board/BoardToolbar.tsx'
import { InspectorPanel } from '../board/InspectorPanel.tsx'
import { RelationshipLegend } from '../board/RelationshipLegend.tsx'
import { useBoardSync, type BoardUser } from '../board/useBoardSync.ts'
import { AppHeader } from '../components/AppHeader.tsx'
import { BoardSwitcher } from '../components/BoardSwitcher.tsx'
import { ConnectionBadge } from '../components/ConnectionBadge.tsx'
import { NamePrompt } from '../components/NamePrompt.tsx'
import { ParticipantList } from '../components/ParticipantList.tsx'
import { cleanName, colorForUser, getStoredName, getUserId, storeName } from '../identity.ts'
import { SaveSnapshotButton } from '../review/SaveSnapshotButton.tsx'
import { SnapshotsLink } from '../review/SnapshotsLink.tsx'
import { NotFoundPage } from './NotFoundPage.tsx'

/** `/w/:workshopId/:board`: one board of a workshop, live. */
export function WorkshopPage() {
  const { workshopId = '', board = '' } = useParams()
  const [searchParams] = useSearchParams()
  const nameFromLink = cleanName(searchParams.get('name') ?? '')
  const [name, setName] = useState<string | null>(() => nameFromLink || getStoredName())
  const workshop = useWorkshop(workshopId)

  // A `?name=` in a shared link sets the display name for this browser.
  useEffect(() => {
    if (nameFromLink) {
      storeName(nameFromLink)
      setName(nameFromLink)
    }
  }, [nameFromLink])

  const user = useMemo<BoardUser | null>(() => {
    if (!name) return null
    const id = getUserId()
    return { id, name, color: colorForUser(id) }
  }, [name])

  if (!isBoardId(board)) return <NotFoundPage message={`There is no board called “${board}”.`} />
  if (workshop.kind === 'missing') return <NotFoundPage message="This workshop does not exist (or the link is incomplete)." />
  if (!user) {
    return (
      <NamePrompt
        workshop={workshop.kind === 'ready' ? workshop.workshop : null}
        onSubmit={(chosen) => {
          storeName(chosen)
          setName(chosen)
        }}
      />
    )
  }
  return (
    <BoardScreen
      key={`${workshopId}/${board}`}
      workshopId={workshopId}
      board={board}
      user={user}
      workshop={workshop.kind === 'ready' ? workshop.workshop : null}
    />
  )
}

type WorkshopState = { kind: 'loading' } | { kind: 'missing' } | { kind: 'ready'; workshop: Workshop } | { kind: 'unknown' }

/** The workshop's title and account for the header; the board itself works without them (offline). */
function useWorkshop(workshopId: string): WorkshopState {
  const [state, setState] = useState<WorkshopState>({ kind: 'loading' })
  useEffect(() => {
    const controller = new AbortController()
    getWorkshop(workshopId, controller.signal)
      .then((workshop) => setState({ kind: 'ready', workshop }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        const missing = error instanceof ApiRequestError && (error.status === 404 || error.status === 400)
        setState({ kind: missing ? 'missing' : 'unknown' })
      })
    return () => controller.abort()
  }, [workshopId])
  return state
}

interface BoardScreenProps {
  workshopId: string
  board: BoardId
  user: BoardUser
  workshop: Workshop | null
}

function BoardScreen({ workshopId, board, user, workshop }: BoardScreenProps) {
  const sync = useBoardSync(workshopId, board, user)
  const [editor, setEditor] = useState<Editor | null>(null)

  useEffect(() => {
    document.title = workshop ? `${BOARD_TITLES[board]} · ${workshop.account} · Keyplan` : `${BOARD_TITLES[board]} · Keyplan`
  }, [board, workshop])

  if (sync.fatalError) return <NotFoundPage message={sync.fatalError} />

  return (
    <div className="workshop">
      <AppHeader>
        <div className="workshop-heading">
          <span className="workshop-heading-account">{workshop?.account ?? '\u00a0'}</span>
          <span className="workshop-heading-title">{workshop?.title ?? '\u00a0'}</span>
        </div>
        <BoardSwitcher workshopId={workshopId} />
        {editor && <BoardToolbar board={board} editor={editor} />}
        <div className="header-end">
          <SaveSnapshotButton workshopId={workshopId} />
          <SnapshotsLink workshopId={workshopId} />
          <ConnectionBadge state={sync.connection} />
        </div>
      </AppHeader>
      <div className="workshop-body">
        <main className="canvas" aria-label={`${BOARD_TITLES[board]} board`}>
          {sync.store ? (
            <BoardCanvas board={board} store={sync.store} user={user} onMount={setEditor} />
          ) : (
            <div className="canvas-loading" role="status">
              Loading board…
            </div>
          )}
        </main>
        <aside className="side-panel" aria-label="Board details">
          {editor && sync.store && <InspectorPanel editor={editor} />}
          {board === 'stakeholders' && <RelationshipLegend />}
          <Participants editor={editor} sync={sync} />
        </aside>
      </div>
    </div>
  )
}

function Participants({ editor, sync }: { editor: Editor | null; sync: ReturnType<typeof useBoardSync> }) {
  const followingUserId = useValue('following', () => editor?.getInstanceState().followingUserId ?? null, [editor])
  return (
    <ParticipantList
      participants={sync.participants}
      followingUserId={followingUserId}
      onFollow={(userId) => editor?.startFollowingUser(userId)}
      onStopFollowing={() => editor?.stopFollowingUser()}
    />
  )
}
