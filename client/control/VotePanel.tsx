import { useEffect, useRef, useState, type RefObject } from 'react'
import { Link, useLocation } from 'react-router'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { CONTROL_CLIENT, CONTROL_LIMITS, VOTABLE_SHAPE_TYPES, type VotableShapeType, type VoteView } from '../../shared/control.ts'
import { plural } from '../../shared/plural.ts'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { useFocusAfter } from '../components/useFocusAfter.ts'
import type { RoomControl } from './useRoomControl.ts'

const TYPE_LABELS = {
  note: 'Notes',
  stakeholder: 'Stakeholder cards',
  action: 'Action cards',
  objective: 'Objective cards',
  whitespace: 'Whitespace cells',
  competitor: 'Competitor cards',
} as const satisfies Record<VotableShapeType, string>

/** What a board's votes are usually about. */
const DEFAULT_TYPES = {
  swot: ['note'],
  stakeholders: ['stakeholder'],
  objectives: ['objective'],
  actions: ['action', 'note'],
  whitespace: ['whitespace', 'competitor'],
} as const satisfies Record<BoardId, readonly VotableShapeType[]>

/** Said while the room's control socket is away: a vote pressed now would reach nobody. */
const VOTE_OFFLINE = 'Reconnecting to the room: voting works again once it is back.'

function used(vote: VoteView): number {
  return Object.values(vote.mine).reduce((a, b) => a + b, 0)
}

interface VotePanelProps {
  editor: Editor
  board: BoardId
  role: Role
  control: RoomControl
  /** The workshop is archived: nothing is voted or started ([A21]; the server refuses it too). */
  archived?: boolean
}

/**
 * Dot voting in the side panel: the facilitator starts a vote on this board (question, votes per
 * person, which items), reveals and closes it; everyone places and removes votes on the selected
 * item. The server enforces every rule (docs/server-rules.md [C7]–[C10]); the panel only hides
 * what it would refuse and shows its refusals.
 */
export function VotePanel({ editor, board, role, control, archived = false }: VotePanelProps) {
  const vote = control.vote
  const { pathname, search } = useLocation()
  const facilitator = role === 'facilitator'
  // A guest's page loses an item when it is deleted or when the team makes it internal, and cannot tell which.
  const hidesInternal = role === 'guest'
  const selected = useValue(
    'vote selection',
    () => {
      const shape = editor.getOnlySelectedShape()
      return shape ? { id: shape.id as string, type: shape.type, internal: shape.meta[INTERNAL_META_KEY] === true } : null
    },
    [editor],
  )
  const mineOn = vote?.board === board ? Object.keys(vote.mine) : []
  // This person's votes on items no longer on the board (deleted since): they can no longer select
  // them to take those votes back, so the panel offers it.
  const gone = useValue('votes on deleted items', () => mineOn.filter((item) => !editor.store.has(item as TLShapeId)), [editor, mineOn.join(' ')]) // vote items are shape ids
  const refusal = control.refusal && Date.now() - control.refusal.at < 8000 ? control.refusal.message : null
  const offline = !control.connected
  // The facilitator's button goes away when pressed (Start Vote, Reveal votes, Close vote): the
  // focus moves on to what comes next (Close vote; New Vote… once closed), not to the page.
  const closeButton = useRef<HTMLButtonElement>(null)
  const newVoteButton = useRef<HTMLButtonElement>(null)
  const focusClose = useFocusAfter(closeButton, vote !== null)
  const focusNewVote = useFocusAfter(newVoteButton, vote === null)

  if (!vote) {
    const results = control.results && <VoteResults editor={editor} board={board} results={control.results} hidesInternal={hidesInternal} onDismiss={control.dismissResults} />
    if (!facilitator || archived) return results || null
    return (
      <>
        {results}
        <StartVoteForm board={board} control={control} opener={newVoteButton} onStart={focusClose} />
      </>
    )
  }
  /** Sends Reveal or Close; `focusNext` moves the focus on from the button the message takes away. */
  const send = (type: typeof CONTROL_CLIENT.voteReveal | typeof CONTROL_CLIENT.voteClose, focusNext: () => void) => {
    focusNext()
    control.send({ type, voteId: vote.id })
  }
  // Reveal and Close, for the facilitator wherever they are (a vote runs on one board, and the
  // facilitator may have moved on while people vote).
  const facilitatorButtons = facilitator && !archived && (
    <div className="vote-actions">
      {!vote.revealed && (
        <button type="button" className="button button-small" disabled={offline} onClick={() => send(CONTROL_CLIENT.voteReveal, focusClose)}>
          Reveal votes
        </button>
      )}
      <button ref={closeButton} type="button" className="button button-small" disabled={offline} onClick={() => send(CONTROL_CLIENT.voteClose, focusNewVote)}>
        Close vote
      </button>
    </div>
  )
  const refusalAlert = offline ? (
    <p className="muted vote-offline" role="status">
      {VOTE_OFFLINE}
    </p>
  ) : (
    refusal && (
      <p className="form-error" role="alert">
        {refusal}
      </p>
    )
  )
  if (vote.board !== board) {
    // A guest hears only of votes on boards it may edit (the server filters them), so the link
    // always leads to a board this page may open.
    return (
      <section className="panel-section" aria-labelledby="vote-heading">
        <h2 id="vote-heading" className="panel-heading">
          Vote <span className="count">{vote.total}</span>
        </h2>
        <p className="vote-question">{vote.question}</p>
        <p className="muted">
          The vote is on {BOARD_TITLES[vote.board]}. <Link to={`${pathname.replace(/[^/]*$/, vote.board)}${search}`}>Go to {BOARD_TITLES[vote.board]}</Link>
        </p>
        {refusalAlert}
        {facilitatorButtons}
      </section>
    )
  }
  const left = vote.votesPerPerson - used(vote)
  // Viewers never vote; a guest sees only votes on boards it may edit (the server filters them).
  const mayVote = role !== 'viewer' && !archived
  const votable = selected && (vote.shapeTypes as readonly string[]).includes(selected.type) ? selected : null
  return (
    <section className="panel-section" aria-labelledby="vote-heading">
      <h2 id="vote-heading" className="panel-heading">
        Vote <span className="count">{vote.total}</span>
      </h2>
      <p className="vote-question">{vote.question}</p>
      {mayVote && (
        <>
          <p className="muted" aria-live="polite">
            {left} of {plural(vote.votesPerPerson, 'vote')} left
          </p>
          {gone.length > 0 && (
            <div className="vote-actions">
              <p className="muted">
                {plural(gone.reduce((sum, item) => sum + (vote.mine[item] ?? 0), 0), 'of your votes is', 'of your votes are')} on {gone.length === 1 ? 'an item' : 'items'} {hidesInternal ? 'no longer on this board' : 'deleted since'}.
              </p>
              <button
                type="button"
                className="button button-small"
                disabled={offline}
                onClick={() => {
                  for (const item of gone) {
                    for (let n = vote.mine[item] ?? 0; n > 0; n--) control.send({ type: CONTROL_CLIENT.voteCast, voteId: vote.id, item, add: false })
                  }
                }}
              >
                Take back
              </button>
            </div>
          )}
          {votable ? (
            <div className="vote-actions">
              {votable.internal ? (
                <p className="muted">Internal items are not voted on: a vote and its results can reach the customer.</p>
              ) : (
                <button
                  type="button"
                  className="button button-small"
                  data-vote-for={votable.id}
                  // aria-disabled, not disabled: the last vote disabled the button under the focus, which
                  // dropped to the page, far from "Remove my vote" (QA q36c).
                  aria-disabled={left <= 0 || offline || undefined}
                  onClick={() => {
                    if (left > 0 && !offline) control.send({ type: CONTROL_CLIENT.voteCast, voteId: vote.id, item: votable.id, add: true })
                  }}
                >
                  Vote for this item
                </button>
              )}
              {(vote.mine[votable.id] ?? 0) > 0 && (
                <button
                  type="button"
                  className="button button-small"
                  disabled={offline}
                  onClick={() => control.send({ type: CONTROL_CLIENT.voteCast, voteId: vote.id, item: votable.id, add: false })}
                >
                  Remove my vote
                </button>
              )}
            </div>
          ) : (
            <p className="muted">Select one item ({vote.shapeTypes.map((t) => TYPE_LABELS[t].toLowerCase()).join(', ')}) to vote for it.</p>
          )}
        </>
      )}
      {!vote.revealed && <p className="muted">Votes are hidden until the facilitator reveals them.</p>}
      {refusalAlert}
      {facilitatorButtons}
    </section>
  )
}

/** `opener`: the New Vote… button's ref (the panel gives it the focus once a vote it closed is gone). */
function StartVoteForm({ board, control, opener, onStart }: { board: BoardId; control: RoomControl; opener: RefObject<HTMLButtonElement | null>; onStart(): void }) {
  const [open, setOpen] = useState(false)
  const [question, setQuestion] = useState('')
  // The text as typed: an emptied field stays empty while the next digit is typed (the browser
  // checks the range on Start Vote).
  const [votes, setVotes] = useState('3')
  const [types, setTypes] = useState<VotableShapeType[]>([...DEFAULT_TYPES[board]])
  /** Start Vote was pressed with no kind of item ticked: the form says so while none is. */
  const [tried, setTried] = useState(false)
  const noTypes = tried && types.length === 0
  const questionField = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (open) questionField.current?.focus()
  }, [open])
  // Once the form closes (Cancel, Esc, Start Vote), the focus goes back to New Vote….
  const focusOpener = useFocusAfter(opener, !open)
  const close = () => {
    focusOpener()
    setOpen(false)
    setTried(false)
  }
  if (!open) {
    return (
      <section className="panel-section" aria-label="Dot vote">
        <button ref={opener} type="button" className="button button-small" onClick={() => setOpen(true)}>
          New Vote…
        </button>
      </section>
    )
  }
  return (
    <section className="panel-section" aria-labelledby="vote-form-heading">
      <h2 id="vote-form-heading" className="panel-heading">
        New vote on {BOARD_TITLES[board]}
      </h2>
      <form
        className="vote-form"
        onKeyDown={(event) => {
          if (event.key !== 'Escape') return
          event.preventDefault()
          event.stopPropagation() // the form's Esc, not the side panel's (back to the canvas)
          close()
        }}
        onSubmit={(event) => {
          event.preventDefault()
          if (types.length === 0) {
            setTried(true)
            return
          }
          if (question.trim() === '' || !control.connected) return
          control.send({ type: CONTROL_CLIENT.voteStart, board, question: question.trim(), votesPerPerson: Number(votes), shapeTypes: types })
          onStart()
          close()
          setQuestion('')
        }}
      >
        <label className="field">
          <span>Question</span>
          <input
            ref={questionField}
            value={question}
            maxLength={CONTROL_LIMITS.maxQuestionLength}
            placeholder="Which threats matter most?"
            onChange={(event) => setQuestion(event.target.value)}
            required
          />
        </label>
        <label className="field">
          <span>Votes per person</span>
          <input type="number" min={1} max={CONTROL_LIMITS.maxVotesPerPerson} step={1} value={votes} onChange={(event) => setVotes(event.target.value)} required />
        </label>
        <fieldset className="field" aria-describedby={noTypes ? 'vote-form-no-types' : undefined}>
          <legend>Items to vote on</legend>
          {VOTABLE_SHAPE_TYPES.map((type) => (
            <label key={type}>
              <input
                type="checkbox"
                checked={types.includes(type)}
                onChange={(event) => setTypes(event.target.checked ? [...types, type] : types.filter((t) => t !== type))}
              />{' '}
              {TYPE_LABELS[type]}
            </label>
          ))}
        </fieldset>
        {noTypes && (
          <p id="vote-form-no-types" className="form-error" role="alert">
            Tick at least one kind of item to vote on.
          </p>
        )}
        {!control.connected && (
          <p className="muted vote-offline" role="status">
            {VOTE_OFFLINE}
          </p>
        )}
        <div className="vote-actions">
          <button type="submit" className="button button-small" disabled={!control.connected}>
            Start Vote
          </button>
          <button type="button" className="button button-small" onClick={close}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  )
}

/** How the panel names a voted item: its text, as the board shows it (a note's, a card's name or title). */
function itemName(editor: Editor, id: string, hidesInternal: boolean): string {
  const shape = editor.getShape(id as TLShapeId) // ids come from the server's vote, checked against the store here
  if (!shape) return hidesInternal ? 'An item no longer on this board' : 'A deleted item'
  const util = editor.getShapeUtil(shape)
  const text = (util.getAriaDescriptor(shape) ?? util.getText(shape) ?? '').trim()
  return text === '' ? 'An item without text' : text
}

/**
 * The results of the vote the facilitator closed last, kept on each page until that person
 * dismisses them (QA q28a: closing made the results vanish at once, and a vote closed without a
 * reveal was never seen). Its items ranked with their votes, on its board; elsewhere a link there.
 */
function VoteResults({ editor, board, results, hidesInternal, onDismiss }: { editor: Editor; board: BoardId; results: VoteView; hidesInternal: boolean; onDismiss(): void }) {
  const { pathname, search } = useLocation()
  const counts = Object.entries(results.counts ?? {}).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
  const names = useValue('vote result names', () => counts.map(([id]) => itemName(editor, id, hidesInternal)), [editor, counts.map(([id]) => id).join(' '), hidesInternal])
  return (
    <section className="panel-section" aria-labelledby="vote-results-heading">
      <h2 id="vote-results-heading" className="panel-heading">
        Vote closed <span className="count">{results.total}</span>
      </h2>
      <p className="vote-question">{results.question}</p>
      {results.board !== board ? (
        <p className="muted">
          The vote was on {BOARD_TITLES[results.board]}. <Link to={`${pathname.replace(/[^/]*$/, results.board)}${search}`}>See the results there</Link>
        </p>
      ) : counts.length === 0 ? (
        <p className="muted">Nobody voted.</p>
      ) : (
        <ol className="vote-results" aria-label="Results">
          {counts.map(([id, count], index) => (
            <li key={id}>
              {names[index]} <span className="muted">({plural(count, 'vote')})</span>
            </li>
          ))}
        </ol>
      )}
      <p className="muted small">The results go into the next snapshot.</p>
      <div className="vote-actions">
        <button type="button" className="button button-small" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  )
}

/**
 * Vote counts on the canvas, over each item: everyone's once revealed, otherwise this person's own
 * votes. Positioned from the editor's page-to-viewport transform, so it follows pan and zoom.
 */
export function VoteBadges({ editor, vote }: { editor: Editor; vote: VoteView | null }) {
  const counts = vote ? (vote.counts ?? vote.mine) : {}
  const mine = !vote?.counts
  const badges = useValue(
    'vote badges',
    () =>
      Object.entries(counts).flatMap(([id, count]) => {
        const bounds = editor.getShapePageBounds(id as TLShapeId) // ids come from the server's vote, checked as shape ids
        if (!bounds || count === 0) return []
        const at = editor.pageToViewport({ x: bounds.maxX, y: bounds.minY })
        return [{ id, count, x: at.x, y: at.y }]
      }),
    [editor, counts],
  )
  if (!vote) return null
  return (
    <div className="vote-badges" aria-label="Votes on items">
      {badges.map((badge) => (
        <span
          key={badge.id}
          className={`vote-badge${mine ? ' vote-badge-mine' : ''}`}
          style={{ left: badge.x - 14, top: badge.y - 10 }}
          data-item={badge.id}
          aria-label={`${badge.count} ${mine ? 'of your votes' : badge.count === 1 ? 'vote' : 'votes'}`}
        >
          {badge.count}
        </span>
      ))}
    </div>
  )
}
