import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useEffect, useMemo, useRef, useState } from 'react'
import { Box, Tldraw, atom, createTLCurrentUser, type Editor, type TLComponents, type TLStore, type TLUiOverrides } from 'tldraw'
import type { BoardId } from '../../shared/boards.ts'
import type { Role } from '../../shared/roles.ts'
import { isInternalField, type Sensitivity } from '../../shared/sensitivity.ts'
import { RELATIONSHIP_KINDS, type RelationshipKind } from '../../shared/shapes.ts'
import { getParticipantKeyId } from '../identity.ts'
import { BoardStylePanel } from './BoardStylePanel.tsx'
import { newLineKind, startRelationshipsWithKind, syncStatusWithColumns } from './cards.ts'
import { carryCellsOnRename } from './followRenames.ts'
import { keepNewCardsApart } from './newCardsApart.ts'
import { cardNames } from './cardNames.ts'
import { confirmBulkDelete, confirmOtherBulkDeletes } from './confirmBulkDelete.ts'
import { CardFieldViewProvider, useCardFieldExportOptions, type CardFieldView } from './CardFieldView.tsx'
import { ObjectiveConnectors, ObjectiveLinksContext } from './ObjectiveConnectors.tsx'
import type { ObjectiveLinks } from './objectiveConnectors.ts'
import { boardUiOverrides, guardRecords } from './guardRecords.ts'
import { keepInternalItemsContents } from './internalFrames.ts'
import { keepGuestCardsOffInternal } from './guestCardsOffInternal.ts'
import { settleMultipleDragsByCentre } from './multiDragFrames.ts'
import { ContextMenuWithInternal, InternalMarkers, markInternalOverrides } from './markInternal.tsx'
import { isReplayingHistory, keepUndoToOwnChanges } from './ownUndo.ts'
import { deleteLinesWithTheirCards, keepRelationshipLines } from './relationshipLines.ts'
import { customShapeUtils } from './shapes/customShapeUtils.ts'
import { KeptShapeTexts, TextTypists } from './TextTypists.tsx'
import { LostOfflineEdits } from './LostOfflineEdits.tsx'
import { KeptDeletesNotice, KeptTemplatesNotice } from './KeptDeletesNotice.tsx'
import { KeptFromGuestNotice } from './KeptFromGuestNotice.tsx'
import { measureLabelsOf } from './measureLabelsAhead.ts'
import { keepOneTypistPerText } from './textShapeLocks.ts'
import { keepFrameNameFocus } from './frameNameFocus.ts'
import { judgeClicksByTheirTime } from './clickTiming.ts'
import { stepThroughItems } from './keyboardNavigation.ts'
import { openPanelFromKeyboard } from './panelFocus.ts'
import { startTypingSteps } from './undoSteps.ts'
import type { BoardUser } from './useBoardSync.ts'

// Fonts, icons and translations come from our own origin: a workshop on a closed network
// must not depend on tldraw's CDN.
const assetUrls = getAssetUrlsByImport()

/**
 * Notices over the canvas: texts kept aside from a peer's note, offline edits that lost, a guest's
 * delete that kept others' cards, a try at a template frame by someone who may not change it, a
 * guest's delete of a card the team kept internally ([A40]).
 */
function BoardNotices() {
  return (
    <>
      <KeptShapeTexts />
      <LostOfflineEdits />
      <KeptDeletesNotice />
      <KeptTemplatesNotice />
      <KeptFromGuestNotice />
    </>
  )
}

const components: TLComponents = {
  // One page per board: the page menu would only invite people to lose each other.
  PageMenu: null,
  StylePanel: BoardStylePanel,
  OnTheCanvas: TextTypists,
  TopPanel: BoardNotices,
}
const objectiveComponents: TLComponents = { ...components, InFrontOfTheCanvas: ObjectiveConnectors }
const NO_LINKS: ObjectiveLinks = []

/** The team's canvas: internal markers (issue 13) and who is typing into a text. */
function TeamCanvasMarks() {
  return (
    <>
      <InternalMarkers />
      <TextTypists />
    </>
  )
}

/** Issue 13: the team's roles also mark items internal (context menu and Alt+I). */
const teamComponents: TLComponents = { ...components, ContextMenu: ContextMenuWithInternal, OnTheCanvas: TeamCanvasMarks }
const teamObjectiveComponents: TLComponents = { ...teamComponents, InFrontOfTheCanvas: ObjectiveConnectors }

interface BoardCanvasProps {
  board: BoardId
  store: TLStore
  user: BoardUser
  /** The role of the link: what the page lets this user change follows the server's rules ([R4]–[R7]). */
  role: Role
  /** The role may not change this board: tldraw opens read-only (the server ignores writes anyway, [A7]). */
  readOnly: boolean
  /** On the objectives board: the actions linked to each objective, drawn as connectors. */
  objectiveLinks?: ObjectiveLinks | undefined
  /** Issue 13: the sensitivity the cards' internal fields are marked by; null marks none (guests, "View as customer"). */
  fieldMarks?: Sensitivity | null
  /** A guest's page and "View as customer": the sensitivity whose internal fields the cards leave out. */
  hiddenFields?: Sensitivity | null
  /**
   * The relationship kinds this page may draw on the stakeholder map (a guest: the customer-facing
   * ones, [A31]); new lines start as one of them, and with none tldraw's arrow tool is left out.
   */
  lineKinds?: readonly RelationshipKind[]
  /** Whether the canvas takes the focus when it mounts (read once: tldraw rebuilds its editor when it changes). */
  autoFocus?: boolean
  onMount(editor: Editor): void
}

/** The language of Keyplan's pages (`<html lang>`), which tldraw's own interface follows too. */
const PAGE_LOCALE = 'en'

const STATUS_KEPT_NOTICE = 'Status is kept by the account team on this board: a card can move within its column, not to another one.'

/** The full tldraw canvas of one board, with Keyplan's card shapes. */
export function BoardCanvas({ board, store, user, role, readOnly, objectiveLinks, fieldMarks = null, hiddenFields = null, lineKinds = RELATIONSHIP_KINDS, autoFocus: autoFocusProp = true, onMount }: BoardCanvasProps) {
  const [autoFocus] = useState(autoFocusProp)
  // tldraw reads the local user's name and colour from here (cursor chat, own presence). One
  // object for the canvas's life: a rename updates the signal instead of remounting the editor.
  // tldraw's own menus, tooltips and announcements in English, as the rest of the page (QA q36c: in
  // the browser's language they sat beside English ones on a page marked English, read by a screen
  // reader with English pronunciation, and tldraw mirrored its controls in an Arabic browser).
  const [preferences] = useState(() => atom('keyplan user', { id: user.id, name: user.name, color: user.color, locale: PAGE_LOCALE }))
  const currentUser = useMemo(() => createTLCurrentUser({ userPreferences: preferences }), [preferences])
  useEffect(() => {
    preferences.set({ id: user.id, name: user.name, color: user.color, locale: PAGE_LOCALE })
  }, [preferences, user.id, user.name, user.color])

  // [A31] A guest may not write an internal status: cards stay in their own status column, and the
  // page says why when a drop would have moved one (rather than meeting the server's 4422).
  const statusKept = useRef(false)
  statusKept.current = role === 'guest' && hiddenFields !== null && isInternalField(hiddenFields, 'action', 'status')
  const [statusNotice, setStatusNotice] = useState(false)

  // Both wrap tldraw actions: select-all for the record rules, delete/cut for the bulk-delete check.
  const team = role === 'facilitator' || role === 'team'
  const noLines = board === 'stakeholders' && lineKinds.length === 0
  const overrides = useMemo(
    () => [boardUiOverrides(board, role), confirmBulkDelete, cardNames, ...(team ? [markInternalOverrides] : []), ...(noLines ? [withoutArrowTool] : [])],
    [board, role, team, noLines],
  )
  // A board turned read-only (or editable) while open, as when the workshop is archived: tldraw's
  // own tools follow at once (QA q28c: its note and draw tools went on working on an archived
  // workshop's open page, and what was drawn reached everyone once it was unarchived).
  const mounted = useRef<Editor | null>(null)
  useEffect(() => {
    const editor = mounted.current
    if (!editor || editor.getInstanceState().isReadonly === readOnly) return
    if (readOnly) {
      editor.complete() // a gesture under way ends, then nothing more is written
      editor.setEditingShape(null)
    }
    editor.updateInstanceState({ isReadonly: readOnly })
  }, [readOnly])

  // Read when a line is drawn: the kinds follow the workshop's sensitivity, the editor lives on.
  const newKind = useRef(newLineKind(lineKinds))
  newKind.current = newLineKind(lineKinds)

  const fieldView: CardFieldView = { sensitivity: hiddenFields ?? fieldMarks, hideInternal: hiddenFields !== null }
  const exportOptions = useCardFieldExportOptions(fieldView)
  // A board is one page (the server refuses a second, [R4]): tldraw then offers no "Move to page"
  // (QA q29d: its "New page" took a card out of everyone's sight, still in the plan).
  const options = useMemo(() => ({ ...exportOptions, maxPages: 1 }), [exportOptions])

  return (
    <ObjectiveLinksContext.Provider value={objectiveLinks ?? NO_LINKS}>
      <CardFieldViewProvider view={fieldView}>
        <Tldraw
          store={store}
          options={options}
          overrides={overrides}
          shapeUtils={customShapeUtils}
          assetUrls={assetUrls}
          licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
          autoFocus={autoFocus}
          user={currentUser}
          components={board === 'objectives' ? (team ? teamObjectiveComponents : objectiveComponents) : team ? teamComponents : components}
          onMount={(editor) => {
            // Instance state is per mount: set it every time, never rely on an earlier mount.
            editor.updateInstanceState({ isReadonly: readOnly })
            mounted.current = editor
            const who = { role, userId: user.id, keyId: getParticipantKeyId() }
            const stopGuard = guardRecords(editor, board, who)
            const stopOwnUndo = keepUndoToOwnChanges(editor.store, () => isReplayingHistory(editor))
            const stopTypingSteps = startTypingSteps(editor)
            const stopTextLocks = keepOneTypistPerText(editor, { hidesInternal: role === 'guest' })
            const stopFrameNameFocus = keepFrameNameFocus(editor)
            const stopClickTiming = judgeClicksByTheirTime(editor)
            const stopMeasuring = measureLabelsOf(editor)
            const stopFraming = showWholeBoard(editor)
            const stopStatusSync = board === 'actions' ? syncStatusWithColumns(editor, { statusKept: () => statusKept.current, onKept: () => setStatusNotice(true) }) : undefined
            const stopNewCardsApart = keepNewCardsApart(editor)
            const stopMultipleDrags = settleMultipleDragsByCentre(editor)
            const stopPanelKeys = openPanelFromKeyboard(editor)
            const stopStepping = stepThroughItems(editor, board)
            const stopOtherBulkDeletes = confirmOtherBulkDeletes(editor)
            const stopRelationshipDefault = board === 'stakeholders' ? startRelationshipsWithKind(editor, () => newKind.current) : undefined
            const stopCarryingCells = board === 'whitespace' ? carryCellsOnRename(editor) : undefined
            const stopRelationshipLines = board === 'stakeholders' ? keepRelationshipLines(editor) : undefined
            const stopLinesWithCards = board === 'stakeholders' ? deleteLinesWithTheirCards(editor, who) : undefined
            // For the team even while read-only: each writes only while the page may edit, and a
            // board made editable again (unarchived) keeps its rules without a remount.
            const stopInternalContents = team ? keepInternalItemsContents(editor) : undefined
            const stopGuestCardsOff = team ? keepGuestCardsOffInternal(editor) : undefined
            onMount(editor)
            return () => {
              if (mounted.current === editor) mounted.current = null
              stopGuard()
              stopPanelKeys()
              stopStepping()
              stopOwnUndo()
              stopTypingSteps()
              stopTextLocks()
              stopFrameNameFocus()
              stopClickTiming()
              stopMeasuring()
              stopFraming()
              stopStatusSync?.()
              stopNewCardsApart()
              stopMultipleDrags()
              stopOtherBulkDeletes()
              stopRelationshipDefault?.()
              stopCarryingCells?.()
              stopRelationshipLines?.()
              stopLinesWithCards?.()
              stopInternalContents?.()
              stopGuestCardsOff?.()
            }
          }}
        />
        {statusNotice && (
          <div className="board-notice" role="status">
            <span>{STATUS_KEPT_NOTICE}</span>
            <button type="button" className="button button-small" onClick={() => setStatusNotice(false)}>
              Dismiss
            </button>
          </div>
        )}
      </CardFieldViewProvider>
    </ObjectiveLinksContext.Provider>
  )
}

/** A page that may draw no relationship kind has no arrow tool (nor its shortcut). */
const withoutArrowTool: TLUiOverrides = {
  tools(_editor, tools) {
    const { arrow: _arrow, ...rest } = tools
    return rest
  },
}

/** Page units kept free above the board's content. */
const FRAME_TITLE_ROOM = 72

/**
 * Screen pixels kept free on each side of the framed board: tldraw's menu (42 px high, top left)
 * and its toolbar (56 px, bottom) sit over the canvas, and at a projector's 1280×720 with the side
 * panel open the board is zoomed out so far that the title room above alone no longer clears them.
 */
const FRAME_MARGIN_PX = 64

/**
 * Frames the board's content (templates and cards) without zooming in past 100 %. A board shown
 * before its content arrived (first visit while the server is slow or unreachable) is framed
 * once the content comes in, unless the canvas follows someone by then: the leader's view is the
 * one to show (their presence can arrive before the board's content), and moving the camera would
 * end tldraw's following.
 * @returns a function that stops waiting for content
 */
function showWholeBoard(editor: Editor): () => void {
  const frame = () => {
    if (editor.getInstanceState().followingUserId !== null) return true
    const bounds = editor.getCurrentPageBounds()
    if (!bounds) return false
    // Room above the content for frame titles, which sit outside their frames and would
    // otherwise hide under tldraw's menu.
    const withTitles = new Box(bounds.x, bounds.y - FRAME_TITLE_ROOM, bounds.w, bounds.h + FRAME_TITLE_ROOM)
    const viewport = editor.getViewportScreenBounds()
    // zoomToBounds' inset is both sides together; a phone keeps most of its few pixels for the board.
    const inset = Math.min(2 * FRAME_MARGIN_PX, Math.min(viewport.w, viewport.h) * 0.28)
    editor.zoomToBounds(withTitles, { inset, targetZoom: 1 })
    return true
  }
  if (frame()) return () => {}
  const stop = editor.store.listen(
    () => {
      if (frame()) stop()
    },
    { source: 'remote', scope: 'document' },
  )
  return stop
}
