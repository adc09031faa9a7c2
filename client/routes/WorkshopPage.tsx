import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState, type ReactNode } from 'react'
import { Navigate, useLocation, useNavigate, useParams, useSearchParams } from 'react-router'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import type { WorkshopAccessView } from '../../shared/access.ts'
import { WorkshopSchema, type Workshop } from '../../shared/api.ts'
import { BOARD_TITLES, isBoardId, type BoardId } from '../../shared/boards.ts'
import { canRevertChange } from '../../shared/historyApi.ts'
import { CLOSE_CODES, syncRoomName } from '../../shared/protocol.ts'
import { canManageLinks, canRestore, canTakeSnapshot } from '../../shared/roles.ts'
import { ACCESS_TEXT, AccessNotice, RefusedLinkNotice } from '../access/AccessNotice.tsx'
import { GuestBanner } from '../access/GuestBanner.tsx'
import { ReadOnlyBadge } from '../access/ReadOnlyBadge.tsx'
import { SharePanel } from '../access/SharePanel.tsx'
import { takeSharePanelRequest } from '../access/shareRequest.ts'
import { announceSensitivity, currentSensitivity, loadSensitivity, useWorkshopSensitivity } from '../access/workshopSensitivity.ts'
import { useWorkshopAccess } from '../access/useWorkshopAccess.ts'
import { onWorkshopChanged } from '../access/workshopChanged.ts'
import { ApiRequestError, getWorkshop } from '../api.ts'
import { BoardCanvas } from '../board/BoardCanvas.tsx'
import { BoardImageExport, boardImageName } from '../board/BoardImageExport.tsx'
import { BoardToolbar } from '../board/BoardToolbar.tsx'
import { HealthPanel } from '../board/HealthPanel.tsx'
import { InspectorPanel } from '../board/InspectorPanel.tsx'
import { DEFAULT_SENSITIVITY, visibleRelationshipKinds } from '../../shared/sensitivity.ts'
import { RELATIONSHIP_KINDS } from '../../shared/shapes.ts'
import { RelationshipLegend } from '../board/RelationshipLegend.tsx'
import { sendUnsentRooms } from '../board/sendUnsent.ts'
import { useBoardSync, type BoardUser } from '../board/useBoardSync.ts'
import { PanelToggle, PresentButton } from '../components/HeaderButtons.tsx'
import { useSidePanel } from '../components/useSidePanel.ts'
import { isCardType, panelFocusRequest } from '../board/panelFocus.ts'
import { usePresentMode } from '../control/usePresentMode.ts'
import { useCustomerLinks, useLiveHealth } from '../board/useLiveHealth.ts'
import { AppHeader } from '../components/AppHeader.tsx'
import { BoardSwitcher } from '../components/BoardSwitcher.tsx'
import { HistoryPanel } from '../history/HistoryPanel.tsx'
import { ConnectionBadge } from '../components/ConnectionBadge.tsx'
import { TimerControl } from '../control/TimerControl.tsx'
import { useCanvasFollow, useFollow } from '../control/useFollow.ts'
import { isTextEntry, typingNow } from '../control/typingNow.ts'
import { RoomAnnouncer, type Announcement } from '../control/RoomAnnouncer.tsx'
import { useRoomControl, type RoomControl } from '../control/useRoomControl.ts'
import { VoteBadges, VotePanel } from '../control/VotePanel.tsx'
import { KeysNotice } from '../components/KeysNotice.tsx'
import { NamePrompt } from '../components/NamePrompt.tsx'
import { ParticipantList } from '../components/ParticipantList.tsx'
import { browserUser, cleanName, getStoredName, onStoredNameChange, storeName } from '../identity.ts'
import { SaveSnapshotButton } from '../review/SaveSnapshotButton.tsx'
import { SnapshotsLink } from '../review/SnapshotsLink.tsx'
import { summonAnnouncement } from '../control/summonText.ts'
import { NotFoundPage } from './NotFoundPage.tsx'
import { useWorkshopTimeZone } from '../board/localDate.ts'
import { readStoredJson } from '../storedJson.ts'
import { useSelectionAboveSheet } from '../board/selectionAboveSheet.ts'
import { UnsentChanges } from '../board/UnsentChanges.tsx'
import { withdrawnUnsentOf, type UnsentText } from '../board/replayAfterRefusal.ts'

/**
 * `/w/:workshopId/:board`: one board of a workshop, live, as this browser's token allows
 * (`/w/:workshopId` opens the first board the role may see).
 */
export function WorkshopPage() {
  const { workshopId = '', board = '' } = useParams()
  const { search } = useLocation()
  const [searchParams, setSearchParams] = useSearchParams()
  const nameFromLink = cleanName(searchParams.get('name') ?? '')
  const [name, setName] = useState<string | null>(() => nameFromLink || getStoredName())
  const workshop = useWorkshop(workshopId)
  // [P9] action cards are overdue by the workshop's date, as in its snapshots and exports.
  useWorkshopTimeZone(workshop.kind === 'ready' ? workshop.workshop.timeZone : undefined)
  // Fetched again on every board switch, so a board the facilitator just shared shows up.
  const access = useWorkshopAccess(workshopId, board)
  // The board a guest was on when the facilitator made it internal (closed with 4403).
  const [withdrawn, setWithdrawn] = useState<BoardId | null>(null)
  // What the person changed offline on the board withdrawn from them, to copy (QA q30a).
  const [withdrawnUnsent, setWithdrawnUnsent] = useState<readonly UnsentText[]>([])
  // The same, when the board was withdrawn as its edits were sent in the background: the new access
  // reached this page first and it had let the board go.
  const droppedUnsent = useValue('unsent texts of a withdrawn board', () => (isBoardId(board) ? withdrawnUnsentOf(syncRoomName(workshopId, board)) : undefined), [workshopId, board])
  // The lobby asks for the Share panel on the workshop's first board only: each board mounts its
  // own panel, so the request is forgotten once the page moves on to another board. Undefined: no
  // request; null: asked, no board shown yet; else the board it opened on.
  const [shareOn, setShareOn] = useState<string | null | undefined>(() => (takeSharePanelRequest(workshopId) ? null : undefined))
  useEffect(() => {
    if (shareOn === null && isBoardId(board)) setShareOn(board)
    else if (typeof shareOn === 'string' && board !== shareOn) setShareOn(undefined)
  }, [board, shareOn])
  const openShare = shareOn === null || shareOn === board

  // A `?name=` in a shared link sets the display name for this browser.
  useEffect(() => {
    if (nameFromLink) {
      storeName(nameFromLink)
      setName(nameFromLink)
    }
  }, [nameFromLink])
  // A rename also rewrites a `?name=` in the address, so a reload keeps the new name.
  const nameInAddress = useCallback(
    (chosen: string) =>
      setSearchParams(
        (params) => {
          if (params.has('name')) params.set('name', chosen)
          return params
        },
        { replace: true },
      ),
    [setSearchParams],
  )
  // A rename in another tab of this browser is this page's too (QA pass of 2026-12-06: the room
  // listed the person under the first tab's name, and that tab still said "You are" the old one),
  // its address too (QA q28a: a reload of this tab named the person as its link did, for everyone).
  useEffect(
    () =>
      onStoredNameChange((chosen) => {
        setName(chosen)
        nameInAddress(chosen)
      }),
    [nameInAddress],
  )
  const rename = useCallback(
    (chosen: string) => {
      storeName(chosen)
      setName(chosen)
      nameInAddress(chosen)
    },
    [nameInAddress],
  )

  const user = useMemo<BoardUser | null>(() => browserUser(name), [name])

  // Room control (docs/decisions/002-room-control-channel.md): kept across board switches.
  const navigate = useNavigate()
  const ready = access.state.kind === 'ready' ? access.state.access : null
  const visible = useMemo(() => ready?.boards.map((b) => b.id) ?? [], [ready])
  const currentBoard = isBoardId(board) && visible.includes(board) ? board : null
  // [S44] edits this browser made to the workshop's other boards that the server lacks (a tab closed
  // offline) are sent now, and again each time the browser is back online. Not the board shown:
  // the page opens it itself, a team page once it read the sensitivity (review: meanwhile it was
  // opened a second time, in the background).
  useEffect(() => {
    if (!ready) return
    const others = visible.filter((id) => id !== currentBoard)
    const send = () => sendUnsentRooms(workshopId, others, ready.role !== 'guest')
    send()
    window.addEventListener('online', send)
    return () => window.removeEventListener('online', send)
  }, [workshopId, ready, visible, currentBoard])
  const go = useCallback(
    (target: BoardId) => navigate(`/w/${encodeURIComponent(workshopId)}/${target}${search}`),
    [navigate, workshopId, search],
  )
  // Brought to another board while typing in a field: the keys typed next go to a notice on that
  // board, not to its canvas as tool shortcuts (a stray note where the person was typing a name).
  const [summonedNotice, setSummonedNotice] = useState<{ board: BoardId; text: string } | null>(null)
  // Said to a screen reader (QA q29c: being brought elsewhere was never announced).
  const [announcement, setAnnouncement] = useState<Announcement | null>(null)
  // The board a summons or presentation just took this page to: it says so itself.
  const summonedTo = useRef<BoardId | 'internal' | null>(null)
  // Whether the control socket was connected before: a later connection is a reconnection.
  const connectedBefore = useRef(false)
  // Whether this page had a welcome before, and the presentation its first one said was running.
  const welcomed = useRef(false)
  const [joinPresentation, setJoinPresentation] = useState<string | null>(null)
  const control = useRoomControl(workshopId, user, currentBoard, {
    onSummoned: (event) => {
      // The leader's own other tabs (a second window on the projector) are theirs to move (QA q35a:
      // the presenter's second tab was locked to her presentation, with no way out in the list).
      if (event.leader === user?.id) return
      setAnnouncement({ text: summonAnnouncement(event), at: Date.now() })
      summonedTo.current = event.board
      if (event.board !== 'internal' && event.board !== currentBoard && isTextEntry(document.activeElement)) {
        setSummonedNotice({ board: event.board, text: `${event.leaderName} brought everyone to ${BOARD_TITLES[event.board]} while you were typing.` })
      }
      follow.follow({ userId: event.leader, name: event.leaderName, presentation: event.present })
    },
    onPresentEnded: (leader) => {
      if (follow.following?.userId === leader && follow.following.presentation) setAnnouncement({ text: 'The presentation ended', at: Date.now() })
      follow.release(leader)
    },
    onWelcome: (welcome) => {
      const presenter = welcome.presenter
      // [C12] a `present-ended` missed while the control socket was away: said, as on the others' pages.
      if (follow.following?.presentation && follow.following.userId !== presenter?.userId) setAnnouncement({ text: 'The presentation ended', at: Date.now() })
      follow.presenting(presenter?.userId ?? null)
      // [C12] A page opened (or reloaded) during a presentation joins it, as everyone did (QA q35a:
      // a late joiner saw nothing of it); a reconnection does not bring back one who left it.
      if (!welcomed.current && presenter && presenter.userId !== user?.id && presenter.id !== welcome.id) setJoinPresentation(presenter.userId)
      welcomed.current = true
    },
    onAccessChanged: () => access.reload(),
    // Archived or unarchived ([A21]): the boards' rights change with it, so both are read again.
    onWorkshopChanged: () => {
      workshop.reload()
      access.reload()
    },
    onSensitivityChanged: (fields) => announceSensitivity(workshopId, fields),
  })
  // Pushes missed while the control socket was away, read again on reconnect: [C11] the
  // sensitivity, and an archive, unarchive or access change (QA q30a: back online, the page said
  // Connected and stayed editable while the server dropped every edit).
  useEffect(() => {
    if (!control.connected) return
    if (connectedBefore.current) {
      workshop.reload()
      access.reload()
    }
    connectedBefore.current = true
    if (currentSensitivity(workshopId)) void loadSensitivity(workshopId)
  }, [control.connected, workshopId])
  // Following takes the page to the leader's board once the person pauses typing (useFollow); a
  // focus still in a field goes to a notice on the new board, not its canvas's shortcuts.
  // Carried to another board from the side panel (the focus on Stop following, say): the new board's
  // panel takes the focus back there (QA q36c: it fell to the page, 25 Tab stops away).
  const refocusAfterFollow = useRef(false)
  const goFollowing = useCallback(
    (target: BoardId, leaderName: string) => {
      refocusAfterFollow.current = document.activeElement?.closest('#side-panel') != null
      // Said, as a summons is (QA q36c: the whole canvas changed under a screen reader's user unsaid);
      // a summons or a presentation to that board said it already, in its own words.
      if (summonedTo.current !== target) setAnnouncement({ text: `You followed ${leaderName} to ${BOARD_TITLES[target]}`, at: Date.now() })
      summonedTo.current = null
      // A summons' own notice ("… brought everyone to …") is kept: it says more.
      if (isTextEntry(document.activeElement)) setSummonedNotice((current) => (current?.board === target ? current : { board: target, text: `You followed ${leaderName} to ${BOARD_TITLES[target]}.` }))
      go(target)
    },
    [go],
  )
  const follow = useFollow({ participants: control.participants, selfId: control.selfId, board: currentBoard, visibleBoards: visible, go: goFollowing, typing: typingNow })
  // The presenter's name comes with the participant list, after the welcome.
  useEffect(() => {
    if (joinPresentation === null) return
    const presenter = control.participants.find((p) => p.userId === joinPresentation)
    if (!presenter) return
    setJoinPresentation(null)
    if (follow.following) return
    follow.follow({ userId: presenter.userId, name: presenter.name, presentation: true })
    setAnnouncement({ text: `${presenter.name} is presenting: you follow them`, at: Date.now() })
  }, [joinPresentation, control.participants, follow])

  if (board !== '' && !isBoardId(board)) return <NotFoundPage message={`There is no board called “${board}”.`} />
  if (access.state.kind === 'noToken') return <AccessNotice {...ACCESS_TEXT.noToken} />
  if (access.state.kind === 'refused') return <RefusedLinkNotice workshopId={workshopId} reason={access.state.message} />
  if (access.state.kind === 'missing' || workshop.kind === 'missing') {
    return <NotFoundPage message="This workshop does not exist (or the link is incomplete)." />
  }
  if (access.state.kind === 'error') return <AccessNotice title="Could not open the workshop" message={access.state.message} />
  if (access.state.kind === 'loading') {
    return (
      <div className="canvas-loading" role="status">
        Opening the workshop…
      </div>
    )
  }
  const view = access.state.access
  if (!isBoardId(board)) {
    const first = view.boards[0]?.id
    if (first) return <Navigate to={`/w/${encodeURIComponent(workshopId)}/${first}${search}`} replace />
  }
  const entry = view.boards.find((b) => b.id === board)
  if (!entry || !isBoardId(board)) {
    return (
      <WorkshopFrame workshopId={workshopId} workshop={workshop.kind === 'ready' ? workshop.workshop : null} access={view} control={control}>
        <div className="board-unavailable">
          <AccessNotice {...(withdrawn === board || droppedUnsent !== undefined ? ACCESS_TEXT.boardWithdrawn : ACCESS_TEXT.boardUnavailable)} inline />
          {withdrawn === board ? <UnsentChanges unsent={withdrawnUnsent} /> : droppedUnsent && <UnsentChanges unsent={droppedUnsent} />}
        </div>
      </WorkshopFrame>
    )
  }
  if (!user) {
    return (
      <NamePrompt
        workshop={workshop.kind === 'ready' ? workshop.workshop : null}
        onSubmit={rename}
      />
    )
  }
  return (
    <>
    <RoomAnnouncer control={control} said={announcement} />
    <BoardScreen
      key={`${workshopId}/${board}`}
      workshopId={workshopId}
      board={board}
      // The workshop read as archived before the access view caught up: read-only at once, since
      // the server reopened this page's connections read-only and would drop what it sends.
      readOnly={entry.readOnly || (workshop.kind === 'ready' && workshop.workshop.archivedAt !== undefined)}
      access={view}
      openShare={openShare}
      user={user}
      workshop={workshop.kind === 'ready' ? workshop.workshop : null}
      control={control}
      follow={follow}
      summonedNotice={summonedNotice?.board === board ? summonedNotice.text : null}
      refocusAfterFollow={refocusAfterFollow}
      announce={(text) => setAnnouncement({ text, at: Date.now() })}
      onDismissSummoned={() => setSummonedNotice(null)}
      onRename={rename}
      onWithdrawn={(unsent) => {
        setWithdrawn(board)
        setWithdrawnUnsent(unsent)
        access.reload()
      }}
    />
    </>
  )
}

type WorkshopState = { kind: 'loading' } | { kind: 'missing' } | { kind: 'ready'; workshop: Workshop } | { kind: 'unknown' }

const workshopCacheKey = (workshopId: string) => `keyplan:workshop:${workshopId}`

/** The workshop as this browser read it last (validated: storage is outside the page), for a page opened offline. */
function cachedWorkshop(workshopId: string): Workshop | undefined {
  const cached = readStoredJson(workshopCacheKey(workshopId), WorkshopSchema)
  return cached?.id === workshopId ? cached : undefined
}

/**
 * The workshop's title and account for the header; the board itself works without them (offline),
 * and a page opened offline shows them as this browser read them last (QA q27b: the header had no
 * name). `reload` reads it again (renamed on another page, [C13]).
 */
function useWorkshop(workshopId: string): WorkshopState & { reload(): void } {
  const [state, setState] = useState<WorkshopState>({ kind: 'loading' })
  const [reads, setReads] = useState(0)
  useEffect(() => {
    const controller = new AbortController()
    getWorkshop(workshopId, controller.signal)
      .then((workshop) => {
        setState({ kind: 'ready', workshop })
        localStorage.setItem(workshopCacheKey(workshopId), JSON.stringify(workshop))
      })
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        const missing = error instanceof ApiRequestError && (error.status === 404 || error.status === 400)
        if (missing) localStorage.removeItem(workshopCacheKey(workshopId))
        // Out of reach (status 0): this workshop as last read, here or in an earlier visit.
        const cached = error instanceof ApiRequestError && error.status === 0 ? cachedWorkshop(workshopId) : undefined
        setState((known) =>
          missing ? { kind: 'missing' } : known.kind === 'ready' && known.workshop.id === workshopId ? known : cached ? { kind: 'ready', workshop: cached } : { kind: 'unknown' },
        )
      })
    // Renamed in the Share panel: the header follows at once.
    const unsubscribe = onWorkshopChanged(workshopId, (workshop) => setState({ kind: 'ready', workshop }))
    return () => {
      controller.abort()
      unsubscribe()
    }
  }, [workshopId, reads])
  const reload = useCallback(() => setReads((n) => n + 1), [])
  return { ...state, reload }
}

interface WorkshopFrameProps {
  workshopId: string
  workshop: Workshop | null
  access: WorkshopAccessView
  /** The board shown, whose History the facilitator may open. */
  board?: BoardId
  /** The board's own tools, beside the switcher. */
  tools?: ReactNode
  /** Badges before the header's end buttons (read-only, connection). */
  status?: ReactNode
  openShare?: boolean
  /** The room-control state: the timer shows in the header on every board. */
  control: RoomControl
  /** Buttons of the page shown, at the header's end (present, the side panel's toggle). */
  actions?: ReactNode
  /** Present mode: the header and panels hide, the board fills the screen. */
  presenting?: boolean
  children: ReactNode
}

/**
 * The workshop's header (switcher of the boards this role may see; snapshot and Share only for
 * the facilitator) and, for a guest, the guest banner, around the page's body.
 */
function WorkshopFrame({ workshopId, workshop, access, board, tools, status, openShare = false, control, actions, presenting = false, children }: WorkshopFrameProps) {
  return (
    <div className="workshop" data-role={access.role} data-presenting={presenting || undefined}>
      <AppHeader workshopId={workshopId}>
        <div className="workshop-heading">
          <span className="workshop-heading-account">{workshop?.account ?? '\u00a0'}</span>
          <span className="workshop-heading-title">{workshop?.title ?? '\u00a0'}</span>
        </div>
        <BoardSwitcher workshopId={workshopId} boards={access.boards.map((b) => b.id)} />
        {tools}
        <div className="header-end">
          <TimerControl timer={control.timer} clockOffsetMs={control.clockOffsetMs} canRun={access.role === 'facilitator' && workshop?.archivedAt === undefined} connected={control.connected} send={control.send} />
          {canTakeSnapshot(access.role) && <SaveSnapshotButton workshopId={workshopId} />}
          <SnapshotsLink workshopId={workshopId} canRestore={canRestore(access.role)} />
          {board && canRevertChange(access.role) && <HistoryPanel key={board} workshopId={workshopId} board={board} archived={workshop?.archivedAt !== undefined} />}
          {/* The team sees which fields are internal, read-only; viewers and guests get no Share panel. */}
          {(canManageLinks(access.role) || access.role === 'team') && <SharePanel workshopId={workshopId} initiallyOpen={openShare} manage={canManageLinks(access.role)} revision={control.workshopRevision} />}
          {actions}
          {status}
        </div>
      </AppHeader>
      {access.role === 'guest' && <GuestBanner />}
      {children}
    </div>
  )
}

const PRESENT_LOST = 'Your connection dropped, so your presentation ended and everyone was released. Press Present to start again.'

interface BoardScreenProps {
  workshopId: string
  board: BoardId
  readOnly: boolean
  access: WorkshopAccessView
  openShare: boolean
  user: BoardUser
  workshop: Workshop | null
  control: RoomControl
  follow: ReturnType<typeof useFollow>
  /** Said over the board when someone brought everyone to it while this person typed in a field. */
  summonedNotice: string | null
  /** Set when following brought this board with the focus in the side panel: it goes back to Stop following. */
  refocusAfterFollow: React.RefObject<boolean>
  /** Says `text` to a screen reader, in the room's live region. */
  announce(text: string): void
  onDismissSummoned(): void
  onRename(name: string): void
  /** The server closed the board with 4403: the role may no longer see it. */
  onWithdrawn(unsent: readonly UnsentText[]): void
}

function BoardScreen({ workshopId, board, readOnly, access, openShare, user, workshop, control, follow, summonedNotice, refocusAfterFollow, announce, onDismissSummoned, onRename, onWithdrawn }: BoardScreenProps) {
  const sync = useBoardSync(workshopId, board, user, access.role)
  useEffect(() => {
    if (!refocusAfterFollow.current) return
    refocusAfterFollow.current = false
    // The panel's list fills in with the room's state: looked for a few frames, for two seconds at most.
    const until = performance.now() + 2000
    let frame = 0
    const look = () => {
      const button = document.querySelector<HTMLElement>('#side-panel button[data-stop-following]')
      if (button && (document.activeElement === document.body || document.activeElement === null)) button.focus()
      else if (!button && performance.now() < until) frame = requestAnimationFrame(look)
    }
    look()
    return () => cancelAnimationFrame(frame)
  }, [])
  const [editor, setEditor] = useState<Editor | null>(null)
  // Issue 13: the board exactly as a guest's page shows it (the shared document alone), read-only.
  const [asCustomer, setAsCustomer] = useState(false)
  const shownStore = asCustomer && sync.customerStore ? sync.customerStore : sync.store
  // Issue 13: internal card fields carry a lock on the team's cards and in the side panel; a
  // guest's page and "View as customer" leave them out of the side panel instead (until the
  // workshop's sensitivity is known, the defaults).
  const sensitivity = useWorkshopSensitivity(workshopId, true)
  const customerView = asCustomer || access.role === 'guest'
  // "View as customer" of a board the customer does not get at all: says so, shows nothing of it.
  const hiddenFromCustomer = asCustomer && isBoardId(board) && control.customerFacing?.[board] === false
  const fieldMarks = customerView ? null : sensitivity
  const hiddenFields = customerView ? (sensitivity ?? DEFAULT_SENSITIVITY) : null
  // A guest's relationship lines may only be of customer-facing kinds: any other belongs in the internal document ([A31]).
  const lineKinds = useMemo(() => (access.role === 'guest' ? visibleRelationshipKinds(sensitivity ?? DEFAULT_SENSITIVITY) : RELATIONSHIP_KINDS), [access.role, sensitivity])
  const health = useLiveHealth(workshopId, access.role !== 'guest')
  const navigate = useNavigate()
  const location = useLocation()
  const focus = (location.state as { focus?: unknown } | null)?.focus // router state is unknown data
  useFocusShape(editor, typeof focus === 'string' ? focus : undefined)
  const openHealthItem = (target: BoardId, shapeId?: string) => {
    if (target === board) {
      if (editor && shapeId) focusShape(editor, shapeId)
      return
    }
    navigate(`/w/${encodeURIComponent(workshopId)}/${target}${location.search}`, { state: shapeId ? { focus: shapeId } : null })
  }
  // A guest's link pickers, and the team's in "View as customer", offer what the customer may see
  // of the live boards, read by the server ([A42]); the team's own come with the plan health.
  // Asked for only where a picker or connector uses it: the action plan and the objectives board.
  const customerLinks = useCustomerLinks(workshopId, customerView && (board === 'actions' || board === 'objectives'))
  const shownLinks = customerView ? customerLinks : health
  const live = shownLinks.status === 'ready' ? shownLinks.live : undefined
  // A board the customer does not get offers no picker at all, rather than "None on the board
  // yet" beside a board the team fills (QA q30b).
  const shared = control.customerFacing
  const links = useMemo(
    () => (live && customerView ? { ...(shared?.objectives ? { objectives: live.objectives } : {}), ...(shared?.swot ? { risks: live.risks } : {}) } : live),
    [live, customerView, shared],
  )
  const panel = useSidePanel()
  const sidePanel = useRef<HTMLElement>(null)
  // A card added from the toolbar, or Enter on a selected one, asks for its fields: a hidden panel
  // (a phone's sheet, a zoomed laptop, or hidden by the person) opens to show them (QA q36c: the
  // focus stayed on the toolbar button, and the name typed next ran canvas shortcuts).
  const fieldsAsked = useValue('panel focus request', () => (editor ? panelFocusRequest(editor).get() : null), [editor])
  const { open: panelOpen, show: showPanel } = panel
  useEffect(() => {
    if (fieldsAsked !== null && !panelOpen) showPanel()
  }, [fieldsAsked, panelOpen])
  useSelectionAboveSheet(editor, sidePanel, panel.open)
  const summon = () => control.send({ type: 'summon' })
  // Presenting brings everyone to this board, following the presenter's viewport; its end releases them ([C12]).
  const present = usePresentMode(
    editor,
    () => control.send({ type: 'present', on: true }),
    () => control.send({ type: 'present', on: false }),
  )
  // [C12] The server ends a presentation when the presenter's control socket closes, and releases
  // everyone. A reconnected page is a new connection that presents nothing, so present mode ends
  // here too, saying why, rather than showing "Stop presenting" to a room that no longer follows.
  const [presentLost, setPresentLost] = useState(false)
  const stopPresenting = present.stop
  const presentingAs = useRef<string | null>(null)
  useEffect(() => {
    if (!present.presenting) {
      presentingAs.current = null
      return
    }
    if (presentingAs.current === null) {
      presentingAs.current = control.selfId
      setPresentLost(false)
    } else if (control.selfId !== presentingAs.current || !control.connected) {
      // Reconnected as a new connection, or the connection is gone now (offline): the server ended it.
      stopPresenting()
      setPresentLost(true)
    }
  }, [present.presenting, stopPresenting, control.selfId, control.connected])
  // Present's button goes away while presenting: the focus goes to Stop presenting, and back to
  // Present when it ends (it dropped to the page both times).
  const presentButton = useRef<HTMLButtonElement>(null)
  const stopButton = useRef<HTMLButtonElement>(null)
  const wasPresenting = useRef(false)
  useEffect(() => {
    const lost = (element: Element | null) => element === null || element === document.body || !element.isConnected
    if (present.presenting && !wasPresenting.current && (lost(document.activeElement) || document.activeElement === presentButton.current)) stopButton.current?.focus()
    if (!present.presenting && wasPresenting.current && (lost(document.activeElement) || document.activeElement === stopButton.current)) presentButton.current?.focus()
    wasPresenting.current = present.presenting
  }, [present.presenting])
  const following = follow.following
  useCanvasFollow(
    editor,
    following,
    () => control.participants.some((p) => p.userId === following?.userId && p.where === board),
    () => follow.follow(null),
  )

  useEffect(() => {
    document.title = workshop ? `${BOARD_TITLES[board]} · ${workshop.account} · Keyplan` : `${BOARD_TITLES[board]} · Keyplan`
  }, [board, workshop])

  const withdrawn = sync.closeCode === CLOSE_CODES.forbidden
  // Once per close, whatever the parent's callback identity.
  const reportWithdrawn = useEffectEvent(onWithdrawn)
  useEffect(() => {
    if (withdrawn) reportWithdrawn(sync.unsent)
  }, [withdrawn])

  // A revoked (or expired) link: a clear notice, never a reconnect spinner.
  if (sync.closeCode === CLOSE_CODES.unauthorized) return <RefusedLinkNotice workshopId={workshopId} reason={sync.fatalError} />
  if (sync.fatalError && !withdrawn) return <NotFoundPage message={sync.fatalError} />

  return (
    <WorkshopFrame
      workshopId={workshopId}
      workshop={workshop}
      access={access}
      board={board}
      openShare={openShare}
      control={control}
      presenting={present.presenting}
      actions={
        <>
          {access.role === 'facilitator' && editor && <PresentButton ref={presentButton} onPresent={present.start} offline={!control.connected} />}
          <PanelToggle open={panel.open} onToggle={panel.toggle} />
        </>
      }
      tools={editor && !readOnly && !asCustomer && !withdrawn && <BoardToolbar board={board} editor={editor} lineKinds={lineKinds} role={access.role} />}
      status={
        <>
          {readOnly && <ReadOnlyBadge archived={workshop?.archivedAt !== undefined} />}
          {sync.customerStore && (
            <button
              type="button"
              className="button button-small view-as-customer"
              aria-pressed={asCustomer}
              onClick={() => {
                if (!asCustomer) sync.showCustomer()
                setAsCustomer(!asCustomer)
              }}
            >
              {asCustomer ? 'Back to the team view' : 'View as customer'}
            </button>
          )}
          <ConnectionBadge state={sync.connection} />
          {editor && !withdrawn && !hiddenFromCustomer && access.boards.some((b) => b.id === board) && <BoardImageExport editor={editor} fileName={(format) => boardImageName(workshop, board, format)} />}
        </>
      }
    >
      <div className="workshop-body">
        <main className="canvas" aria-label={`${BOARD_TITLES[board]} board`}>
          {sync.notice && <KeysNotice className="board-notice" role="alert" text={sync.notice} onDismiss={sync.dismissNotice} />}
          {presentLost && !sync.notice && <KeysNotice className="board-notice" role="alert" text={PRESENT_LOST} onDismiss={() => setPresentLost(false)} />}
          {summonedNotice && !sync.notice && !presentLost && <KeysNotice className="board-notice" role="alert" text={summonedNotice} onDismiss={onDismissSummoned} />}
          {withdrawn ? (
            <div className="board-unavailable">
              <AccessNotice {...ACCESS_TEXT.boardWithdrawn} inline />
              <UnsentChanges unsent={sync.unsent} />
            </div>
          ) : sync.notLoaded ? (
            <div className="board-unavailable">
              {/* Out of reach, or only slow to answer (a first visit waits 4 s before showing what it has). */}
              {sync.connection === 'offline' ? (
                <section className="card notice" role="status">
                  <h1>This board is not on this device yet</h1>
                  <p>It has not been opened here before, so there is no copy of it to show while the server is out of reach. It opens as soon as the connection is back.</p>
                </section>
              ) : sync.connection === 'full' ? (
                <section className="card notice" role="status">
                  <h1>This board is full</h1>
                  <p>It has as many people on it as it allows. It opens as soon as someone leaves.</p>
                </section>
              ) : (
                <p className="muted" role="status">
                  Loading the board…
                </p>
              )}
            </div>
          ) : hiddenFromCustomer ? (
            // The customer does not get this board at all (QA q28e: the preview showed it whole).
            <div className="board-unavailable">
              <section className="card notice" role="status">
                <h1>The customer does not see this board</h1>
                <p>It is internal in this workshop: a guest's page does not list it, and opened by its address it says it is not available. The facilitator shares it in the Share panel.</p>
              </section>
            </div>
          ) : sync.store ? (
            <>
              <BoardCanvas
                key={asCustomer && sync.customerStore ? 'customer' : 'team'}
                board={board}
                store={shownStore ?? sync.store}
                user={user}
                role={asCustomer ? 'guest' : access.role}
                readOnly={readOnly || asCustomer}
                objectiveLinks={board === 'objectives' ? links?.objectives : undefined}
                fieldMarks={fieldMarks}
                hiddenFields={hiddenFields}
                lineKinds={lineKinds}
                // A board reloaded after a refused change, or reached while typing, leaves the focus on its notice.
                autoFocus={sync.notice === null && summonedNotice === null}
                onMount={setEditor}
              />
              {editor && (control.vote ?? control.results)?.board === board && <VoteBadges editor={editor} vote={control.vote ?? control.results} />}
            </>
          ) : (
            <div className="canvas-loading" role="status">
              Loading board…
            </div>
          )}
        </main>
        {present.presenting && (
          <div className="present-overlay">
            <TimerControl timer={control.timer} clockOffsetMs={control.clockOffsetMs} canRun={access.role === 'facilitator'} connected={control.connected} inline send={control.send} />
            <button ref={stopButton} type="button" className="button" onClick={present.stop} title="Leave the presentation (Esc)">
              Stop presenting <kbd>Esc</kbd>
            </button>
          </div>
        )}
        <aside
          ref={sidePanel}
          id="side-panel"
          className="side-panel"
          aria-label="Board details"
          hidden={!panel.open}
          // The sheet over a small screen closes with Esc from anything but a text field (which Esc
          // leaves first), and gives the focus back to its toggle (QA q36c: only Close closed it).
          onKeyDown={(event) => {
            if (event.key !== 'Escape' || !panel.sheet || event.defaultPrevented || isTextEntry(event.target instanceof Element ? event.target : null)) return
            event.preventDefault()
            panel.close()
            document.querySelector<HTMLElement>('[aria-controls="side-panel"]')?.focus()
          }}
        >
          <button type="button" className="button button-small side-panel-close" onClick={panel.close} aria-label="Hide details panel">
            Close
          </button>
          {/* "View as customer" shows the side panel as a guest's page has it: no plan health, links only to what a guest may see. */}
          {editor && sync.store && !withdrawn && !hiddenFromCustomer && <InspectorPanel editor={editor} readOnly={readOnly || asCustomer} links={links} fieldMarks={fieldMarks} hiddenFields={hiddenFields} shown={panel.open} />}
          {!asCustomer && <HealthPanel state={health} onOpen={openHealthItem} />}
          {board === 'stakeholders' && <RelationshipLegend kinds={customerView ? visibleRelationshipKinds(sensitivity ?? DEFAULT_SENSITIVITY) : RELATIONSHIP_KINDS} />}
          {editor && sync.store && !withdrawn && !hiddenFromCustomer && <VotePanel editor={editor} board={board} role={access.role} control={control} archived={workshop?.archivedAt !== undefined} />}
          <ParticipantList
            participants={control.participants}
            selfId={control.selfId}
            followingUserId={following?.userId ?? null}
            notice={follow.notice}
            onBringEveryone={access.role === 'facilitator' ? summon : undefined}
            connected={control.connected}
            onFollow={(person) => {
              follow.follow(person)
              announce(`You follow ${person.name}`)
            }}
            onStopFollowing={() => {
              if (following) announce(`You stopped following ${following.name}`)
              follow.follow(null)
            }}
            selfName={user.name}
            onRename={onRename}
          />
        </aside>
      </div>
    </WorkshopFrame>
  )
}

/** Selects a shape and brings it into view; false when it is not (yet) on the board. */
function focusShape(editor: Editor, shapeId: string): boolean {
  const id = shapeId as TLShapeId // a shape id from the plan health; checked against the store next
  const shape = editor.getShape(id)
  if (!shape) return false
  editor.select(id)
  editor.zoomToSelection({ animation: { duration: 200 } })
  // The keys go where the missing piece is filled in (QA q36c: the focus fell to the page, and the
  // owner typed next ran canvas shortcuts): a card's fields, or the canvas with the note selected.
  if (isCardType(shape.type)) panelFocusRequest(editor).set(id)
  else {
    editor.getContainer().focus()
    editor.focus()
  }
  return true
}

/** Focuses `shapeId` once it is on the board (it may arrive with the first sync after a switch). */
function useFocusShape(editor: Editor | null, shapeId: string | undefined): void {
  useEffect(() => {
    if (!editor || !shapeId || focusShape(editor, shapeId)) return
    const stop = editor.store.listen(() => {
      if (focusShape(editor, shapeId)) stop()
    })
    return stop
  }, [editor, shapeId])
}
