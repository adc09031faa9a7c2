import { useState } from 'react'
import type { Editor } from 'tldraw'
import { BOARD_IDS, BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import type { PlanSummary, PlanView, PlanWarning } from '../../shared/plan.ts'
import type { PlanDiff } from '../../shared/planDiff.ts'
import type { RestoreResult } from '../../shared/snapshotApi.ts'
import { exportFileName } from '../../shared/exportName.ts'
import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'
import { BoardImageExport, type ImageFormat } from '../board/BoardImageExport.tsx'
import { getSinceLastWorkshop, getSnapshot, getSnapshotBoard, getSnapshotDiff } from '../api.ts'
import { ActionSection } from './ActionSection.tsx'
import { ComparedWithContext } from './Changes.tsx'
import { SnapshotCuration } from './SnapshotCuration.tsx'
import { SnapshotHealth } from './SnapshotHealth.tsx'
import { ExportButtons } from './ExportButtons.tsx'
import { ObjectiveSection } from './ObjectiveSection.tsx'
import { formatDateTime, plural, snapshotTitle, TRIGGER_BADGES } from './format.ts'
import { RestoreBoardButton } from './RestoreBoardButton.tsx'
import { fitBoard, SnapshotCanvas } from './SnapshotCanvas.tsx'
import { StakeholderSection } from './StakeholderSection.tsx'
import { BoardNotesSection } from './BoardNotesSection.tsx'
import { SwotSection } from './SwotSection.tsx'
import { VoteSection } from './VoteSection.tsx'
import { WhitespaceSection } from './WhitespaceSection.tsx'
import { useRequest } from './useRequest.ts'

interface SnapshotViewProps {
  workshopId: string
  snapshot: PlanSummary
  /** The snapshot to compare with (the one before it unless another was picked); null for the first one. */
  previous: PlanSummary | null
  /** Every older snapshot of the workshop, newest first: the choices to compare with. */
  older: readonly PlanSummary[]
  onCompareWith(snapshotId: string): void
  board: BoardId | null
  /** The workshop's time zone, whose calendar names exported files (the browser's until it is known). */
  timeZone: string | undefined
  /** The role may restore boards (facilitator); others see no Restore button. */
  canRestore: boolean
  /** The role may compare with the account's last workshop (not a guest, whose link is to this workshop alone). */
  canCompareWorkshops: boolean
  onSelectBoard(board: BoardId): void
  onRestored(result: RestoreResult): void
  /** After the facilitator renamed (false) or deleted (true) the snapshot. */
  onCurated(deleted: boolean): void
}

/** One snapshot: its header and exports, then each board read-only beside its part of the plan. */
export function SnapshotView({ workshopId, snapshot, previous, older, onCompareWith, board, timeZone, canRestore, canCompareWorkshops, onSelectBoard, onRestored, onCurated }: SnapshotViewProps) {
  const plan = useRequest(`${workshopId}/${snapshot.id}`, (signal) => getSnapshot(workshopId, snapshot.id, signal))
  const diff = useRequest(previous ? `${workshopId}/${snapshot.id}/${previous.id}` : null, (signal) =>
    getSnapshotDiff(workshopId, snapshot.id, previous?.id ?? '', signal),
  )
  // One click: compare with the account's previous workshop instead (docs/accounts.md [K6]).
  const [sinceLastWorkshop, setSinceLastWorkshop] = useState(false)
  const lastWorkshop = useRequest(sinceLastWorkshop ? `${workshopId}/${snapshot.id}/last-workshop` : null, (signal) =>
    getSinceLastWorkshop(workshopId, snapshot.id, signal),
  )

  if (plan.status === 'loading') return <div className="review-placeholder" role="status">Loading snapshot…</div>
  if (plan.status === 'error') return <div className="review-placeholder form-error" role="alert">{plan.message}</div>

  const shownBoards = BOARD_IDS.filter((id) => hasSection(plan.data, id))
  const current = board && shownBoards.includes(board) ? board : (shownBoards[0] ?? null)
  const compared = sinceLastWorkshop ? lastWorkshop : diff
  const changes = compared.status === 'ready' ? ('previous' in compared.data ? compared.data.diff : compared.data) : null
  const against: Against | null = sinceLastWorkshop
    ? lastWorkshop.status === 'ready'
      ? { title: `the last workshop, ${lastWorkshop.data.previous.workshopTitle}`, takenAt: lastWorkshop.data.previous.takenAt }
      : { title: 'the last workshop', takenAt: null }
    : previous && { title: snapshotTitle(previous), takenAt: previous.takenAt }
  const name = snapshotTitle(snapshot)
  // How the marks of change name what they compare with.
  const comparedWith = sinceLastWorkshop ? 'the last workshop' : previous && previous.id !== older[0]?.id ? `‘${snapshotTitle(previous)}’` : 'the previous snapshot'

  return (
    <div className="snapshot-view">
      <header className="snapshot-header">
        <div className="snapshot-heading">
          <div className="eyebrow">
            <span className={`trigger-badge trigger-${snapshot.trigger}`}>{TRIGGER_BADGES[snapshot.trigger]}</span>
            <time dateTime={snapshot.takenAt}>{formatDateTime(snapshot.takenAt, timeZone, true)}</time>
          </div>
          <h1>{name}</h1>
          {plan.data.participants.length > 0 && <p className="muted small">Participants: {plan.data.participants.join(', ')}</p>}
        </div>
        <ExportButtons workshopId={workshopId} plan={plan.data} timeZone={timeZone} />
        {canRestore && <SnapshotCuration workshopId={workshopId} snapshot={snapshot} onCurated={onCurated} />}
      </header>

      <div className="compare-scope">
        <ChangeSummary against={against} timeZone={timeZone} diff={changes} notCompared={changes ? shownBoards.filter((id) => !hasSection(changes, id)) /* a board shown in one snapshot only, to a guest, is not compared */ : []} failed={compared.status === 'error' ? (compared.code === 'no_previous_workshop' ? NO_PREVIOUS_WORKSHOP : compared.message) : null} />
        {!sinceLastWorkshop && older.length > 1 && previous && <CompareWith older={older} chosen={previous.id} timeZone={timeZone} onChange={onCompareWith} />}
        {canCompareWorkshops && (
          <button type="button" className="button" aria-pressed={sinceLastWorkshop} onClick={() => setSinceLastWorkshop(!sinceLastWorkshop)}>
            {sinceLastWorkshop ? 'Compare with the previous snapshot' : 'What changed since the last workshop'}
          </button>
        )}
      </div>
      {plan.data.health && <SnapshotHealth health={plan.data.health} onSelectBoard={onSelectBoard} />}
      {plan.data.warnings.length > 0 && <Warnings warnings={plan.data.warnings} />}

      {current ? (
        <>
          <div className="board-tabs" role="tablist" aria-label="Boards in this snapshot">
            {shownBoards.map((id) => {
              const count = changes ? boardChangeCount(changes, id) : 0
              return (
                <button
                  key={id}
                  type="button"
                  role="tab"
                  id={`tab-${id}`}
                  aria-selected={id === current}
                  aria-controls="board-panel"
                  className={`board-tab${id === current ? ' board-tab-active' : ''}`}
                  onClick={() => onSelectBoard(id)}
                >
                  {BOARD_TITLES[id]}
                  {count > 0 && (
                    <span className="tab-changes" title={`${plural(count, 'change')} since ${comparedWith}`}>
                      {count}
                    </span>
                  )}
                </button>
              )
            })}
          </div>
          <div className="snapshot-split" role="tabpanel" id="board-panel" aria-labelledby={`tab-${current}`}>
            <BoardPane
              key={`${snapshot.id}/${current}`}
              workshopId={workshopId}
              snapshotId={snapshot.id}
              snapshotName={name}
              imageName={(format) => exportFileName(plan.data, timeZone ?? DEFAULT_TIME_ZONE, `${current}.${format}`)}
              board={current}
              canRestore={canRestore}
              onRestored={onRestored}
            />
            <div className="plan-pane">
              <ComparedWithContext.Provider value={comparedWith}>
                <PlanSections plan={plan.data} board={current} diff={changes} />
              </ComparedWithContext.Provider>
            </div>
          </div>
        </>
      ) : (
        <p className="review-placeholder">None of this snapshot’s boards are shared with you: a board shows here only if it was customer-facing when the snapshot was taken and still is.</p>
      )}
    </div>
  )
}

/** Whether `sections` (a plan as this viewer sees it, or a diff) holds `board`'s section: each bears the board's id. */
function hasSection(sections: Partial<Record<BoardId, unknown>>, board: BoardId): boolean {
  return sections[board] !== undefined
}

type AnySection = { added: readonly unknown[]; changed: readonly unknown[]; removed: readonly unknown[] } | undefined
type ChangeKind = 'added' | 'changed' | 'removed'

function countChanges(sections: readonly AnySection[], kinds: readonly ChangeKind[] = ['added', 'changed', 'removed']): number {
  return sections.reduce((sum, section) => sum + kinds.reduce((n, kind) => n + (section?.[kind].length ?? 0), 0), 0)
}

function boardChangeCount(diff: PlanDiff, board: BoardId): number {
  if (board === 'swot') return countChanges([diff.swot])
  // [P17] with the notes written on the board.
  const notes = diff.notes && {
    added: diff.notes.added.filter((note) => note.board === board),
    changed: diff.notes.changed.filter((change) => change.item.board === board),
    removed: diff.notes.removed.filter((note) => note.board === board),
  }
  if (board === 'stakeholders') return countChanges([diff.stakeholders, diff.relationships, notes])
  if (board === 'objectives') return countChanges([diff.objectives, notes])
  if (board === 'whitespace') return countChanges([diff.whitespace, diff.competitors, notes]) + (diff.whitespaceCurrency ? 1 : 0)
  return countChanges([diff.actions, notes])
}

/** The comparison with the last workshop failed because the account has none with a snapshot: not an error. */
const NO_PREVIOUS_WORKSHOP = Symbol('no previous workshop')

/** What the snapshot is compared with: the snapshot before it, or the account's last workshop. */
type Against = { title: string; takenAt: string | null }

function ChangeSummary({
  against,
  timeZone,
  diff,
  notCompared,
  failed,
}: {
  against: Against | null
  timeZone: string | undefined
  diff: PlanDiff | null
  /** Boards this snapshot shows that the comparison leaves out (not shown in the other one). */
  notCompared: readonly BoardId[]
  failed: string | typeof NO_PREVIOUS_WORKSHOP | null
}) {
  if (!against) {
    return <p className="change-summary">The first snapshot of this workshop: nothing to compare with yet.</p>
  }
  const since = (
    <>
      since <strong>{against.title}</strong>
      {against.takenAt && ` (${formatDateTime(against.takenAt, timeZone)})`}
    </>
  )
  if (failed === NO_PREVIOUS_WORKSHOP) return <p className="change-summary">No earlier workshop of this account has a snapshot to compare with.</p>
  if (failed) return <p className="change-summary form-error">Could not compare {since}: {failed}</p>
  if (!diff) return <p className="change-summary muted">Comparing {since}…</p>
  const sections = [diff.swot, diff.stakeholders, diff.relationships, diff.objectives, diff.actions, diff.whitespace, diff.competitors, diff.notes]
  const added = countChanges(sections, ['added'])
  // The whitespace board's currency is a change of its own (every amount reads in another).
  const changed = countChanges(sections, ['changed']) + (diff.whitespaceCurrency ? 1 : 0)
  const removed = countChanges(sections, ['removed'])
  // "health 54 → 71: champion identified" (docs/plan-health.md), when the viewer sees health.
  const health = diff.health && <span className="change-health"> · {diff.health.summary}</span>
  // "No changes" must not pass for a board the comparison could not look at.
  const leftOut = notCompared.length > 0 && (
    <span className="muted">
      {' '}
      Not compared: {notCompared.map((board) => BOARD_TITLES[board]).join(', ')} (not in both snapshots as you may see them).
    </span>
  )
  if (added + changed + removed === 0) {
    return (
      <p className="change-summary">
        No changes {since}
        {notCompared.length > 0 && ' on the boards compared'}.{health}
        {leftOut}
      </p>
    )
  }
  return (
    <p className="change-summary" data-testid="change-summary">
      Changes {since}:
      {added > 0 && <span className="summary-chip summary-added">{added} added</span>}
      {changed > 0 && <span className="summary-chip summary-changed">{changed} changed</span>}
      {removed > 0 && <span className="summary-chip summary-removed">{removed} removed</span>}
      {health}
      {leftOut}
    </p>
  )
}

/** Picks the older snapshot to compare with: with the timeline's pick, any two of the workshop. */
function CompareWith({ older, chosen, timeZone, onChange }: { older: readonly PlanSummary[]; chosen: string; timeZone: string | undefined; onChange(snapshotId: string): void }) {
  return (
    <label className="compare-with">
      <span>Compare with</span>
      <select value={chosen} onChange={(e) => onChange(e.target.value)}>
        {older.map((snapshot) => (
          <option key={snapshot.id} value={snapshot.id}>
            {snapshotTitle(snapshot)} · {formatDateTime(snapshot.takenAt, timeZone)}
          </option>
        ))}
      </select>
    </label>
  )
}

function Warnings({ warnings }: { warnings: readonly PlanWarning[] }) {
  return (
    <section className="warnings" aria-labelledby="warnings-heading">
      <h2 id="warnings-heading">
        {plural(warnings.length, 'thing')} on the boards could not be read into the plan
      </h2>
      <ul>
        {warnings.map((warning, i) => (
          <li key={i}>
            {/* The card by its name; its id means nothing to a reader ("A stakeholder card…" says which kind). */}
            <span className="warning-board">{BOARD_TITLES[warning.board]}</span> {warning.label && <q className="warning-card">{warning.label}</q>} {warning.message}
          </li>
        ))}
      </ul>
    </section>
  )
}

interface BoardPaneProps {
  workshopId: string
  snapshotId: string
  snapshotName: string
  /** The board image's file name, like the snapshot's other exports. */
  imageName(format: ImageFormat): string
  board: BoardId
  canRestore: boolean
  onRestored(result: RestoreResult): void
}

function BoardPane({ workshopId, snapshotId, snapshotName, imageName, board, canRestore, onRestored }: BoardPaneProps) {
  const records = useRequest(`${workshopId}/${snapshotId}/${board}`, (signal) => getSnapshotBoard(workshopId, snapshotId, board, signal))
  const [editor, setEditor] = useState<Editor | null>(null)
  return (
    <section className="board-pane" aria-label={`${BOARD_TITLES[board]} as it was`}>
      <header className="board-pane-header">
        <h2>{BOARD_TITLES[board]}</h2>
        <span className="readonly-badge">Read-only</span>
        <div className="board-pane-actions">
          <button
            type="button"
            className="button button-small button-icon"
            aria-label="Fit the board in view"
            title="Fit the board in view"
            onClick={() => editor && fitBoard(editor)}
          >
            <FitIcon />
          </button>
          {editor && <BoardImageExport editor={editor} fileName={imageName} />}
          {canRestore && (
            <RestoreBoardButton
              workshopId={workshopId}
              snapshotId={snapshotId}
              snapshotName={snapshotName}
              board={board}
              onRestored={onRestored}
            />
          )}
        </div>
      </header>
      <div className="board-pane-body">
        {records.status === 'ready' ? (
          <SnapshotCanvas
            board={records.data}
            label={`The ${BOARD_TITLES[board]} board at this snapshot`}
            onMount={setEditor}
          />
        ) : (
          <div className={`review-placeholder${records.status === 'error' ? ' form-error' : ''}`} role="status">
            {records.status === 'error' ? records.message : 'Loading board…'}
          </div>
        )}
      </div>
    </section>
  )
}

function PlanSections({ plan, board, diff }: { plan: PlanView; board: BoardId; diff: PlanDiff | null }) {
  return (
    <>
      <BoardSection plan={plan} board={board} diff={diff} />
      {board !== 'swot' && <BoardNotesSection notes={plan.notes} board={board} diff={diff?.notes} />}
      <VoteSection votes={plan.votes.filter((vote) => vote.board === board)} />
    </>
  )
}

function BoardSection({ plan, board, diff }: { plan: PlanView; board: BoardId; diff: PlanDiff | null }) {
  if (board === 'swot' && plan.swot) return <SwotSection swot={plan.swot} diff={diff?.swot} />
  if (board === 'stakeholders' && plan.stakeholders) {
    return <StakeholderSection stakeholders={plan.stakeholders} relationships={plan.relationships} diff={diff} withheld={plan.withheld} />
  }
  if (board === 'actions' && plan.actions) return <ActionSection actions={plan.actions} diff={diff?.actions} withheld={plan.withheld} />
  if (board === 'objectives' && plan.objectives) return <ObjectiveSection objectives={plan.objectives} actions={plan.actions} swot={plan.swot} diff={diff?.objectives} diffNames={diff?.names} withheld={plan.withheld} />
  if (board === 'whitespace' && plan.whitespace) return <WhitespaceSection whitespace={plan.whitespace} competitors={plan.competitors} diff={diff} withheld={plan.withheld} />
  return null
}

function FitIcon() {
  return (
    <svg width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5" />
    </svg>
  )
}
