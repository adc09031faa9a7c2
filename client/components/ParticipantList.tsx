import { useRef, useState, type FormEvent } from 'react'
import { BOARD_TITLES } from '../../shared/boards.ts'
import type { ControlParticipant, ParticipantWhere } from '../../shared/control.ts'
import { MAX_NAME_LENGTH, checkName, colorForUser, initials } from '../identity.ts'
import { useFocusAfter } from './useFocusAfter.ts'

interface ParticipantListProps {
  /** Everyone in the workshop, as the server lets this page know them. */
  participants: readonly ControlParticipant[]
  /** This page's control connection id. */
  selfId: string | null
  /** The user id this page follows, if any. */
  followingUserId: string | null
  /** Shown to the facilitator: every page goes to this board and follows them. */
  onBringEveryone?: (() => void) | undefined
  onFollow(person: { userId: string; name: string }): void
  onStopFollowing(): void
  /** This person's display name, and how to change it (for everyone, and for the next visit). */
  selfName: string
  onRename(name: string): void
  /** Why following cannot go where the person is (a board this role may not see). */
  notice: string | null
  /** The room's connection is up: while it is down the list is what it was, and says so. */
  connected?: boolean
}

function whereName(where: ParticipantWhere & string): string {
  return where === 'internal' ? 'an internal board' : BOARD_TITLES[where]
}

/** Where one person's pages are: "on SWOT", "on SWOT and Action plan", or "not on a board". */
function whereText(wheres: readonly ParticipantWhere[]): string {
  const names = [...new Set(wheres.filter((where) => where !== null).map(whereName))]
  if (names.length === 0) return 'not on a board'
  return `on ${new Intl.ListFormat('en', { type: 'conjunction' }).format(names)}`
}

/** One person as the list shows them: all the pages (tabs) one user has open in one role. */
interface Person {
  key: string
  userId: string
  name: string
  role: ControlParticipant['role']
  pages: ControlParticipant[]
  isSelf: boolean
}

/**
 * The people in the workshop, one row per person however many tabs they have open (a person with two
 * tabs was listed, and counted, twice): pages are one person when they share a user id and role.
 * This page's person comes first, named as this page names them; the others are sorted by name.
 */
function peopleOf(participants: readonly ControlParticipant[], selfId: string | null, selfName: string): Person[] {
  const people = new Map<string, Person>()
  for (const page of participants) {
    const key = `${page.userId}\u0000${page.role}`
    const person = people.get(key) ?? { key, userId: page.userId, name: page.name, role: page.role, pages: [], isSelf: false }
    person.pages.push(page)
    if (page.id === selfId) {
      person.isSelf = true
      person.name = selfName
    }
    people.set(key, person)
  }
  return [...people.values()].sort((a, b) => Number(b.isSelf) - Number(a.isSelf) || a.name.localeCompare(b.name))
}

/**
 * Everyone in the workshop (this page first), their role (guests marked) and which board they are
 * on, with Follow for each other person; the facilitator can bring everyone to their board.
 */
export function ParticipantList({
  participants,
  selfId,
  followingUserId,
  onBringEveryone,
  onFollow,
  onStopFollowing,
  notice,
  selfName,
  onRename,
  connected = true,
}: ParticipantListProps) {
  const [renaming, setRenaming] = useState(false)
  // Once the rename form closes (saved, cancelled, Esc), the focus goes back to Rename.
  const renameButton = useRef<HTMLButtonElement>(null)
  const focusRename = useFocusAfter(renameButton, !renaming)
  // This person's other tabs are listed, but not offered to follow.
  const selfUserId = participants.find((p) => p.id === selfId)?.userId
  const people = peopleOf(participants, selfId, selfName)
  return (
    <section className="panel-section" aria-labelledby="participants-heading">
      <h2 id="participants-heading" className="panel-heading">
        In the workshop <span className="count">{people.length}</span>
      </h2>
      {/* While the room is away the button stays, and says why it cannot be pressed (QA q28a: it vanished). */}
      {!connected && (
        <p className="muted small participants-stale" role="status">
          Reconnecting to the room: the list may be out of date{onBringEveryone ? ', and no one can be brought here until it is back' : ''}.
        </p>
      )}
      {onBringEveryone && (
        <button type="button" className="button button-small" onClick={onBringEveryone} disabled={!connected} title={connected ? 'Every page comes to this board and follows you' : 'Reconnecting to the room'}>
          Bring everyone here
        </button>
      )}
      {renaming ? (
        <RenameForm
          name={selfName}
          onDone={() => {
            focusRename()
            setRenaming(false)
          }}
          onRename={onRename}
        />
      ) : (
        <p className="self-name">
          You are <strong>{selfName}</strong>{' '}
          <button ref={renameButton} type="button" className="button button-small" onClick={() => setRenaming(true)} aria-label="Rename yourself" title="Change the name everyone sees">
            Rename
          </button>
        </p>
      )}
      {notice && (
        <p className="follow-notice" role="status">
          {notice}{' '}
          {/* The person may have no row to stop following on (they left): the notice has its own. */}
          {followingUserId !== null && !people.some((person) => person.userId === followingUserId) && (
            <button type="button" className="button button-small" onClick={onStopFollowing}>
              Stop following
            </button>
          )}
        </p>
      )}
      <ul className="participants" aria-label="Participants">
        {people.map((person) => {
          const { isSelf } = person
          const following = person.userId === followingUserId
          const tabs = person.pages.length
          return (
            <li key={person.key} className="participant" data-where={person.pages.find((page) => page.where !== null)?.where ?? 'none'}>
              <span className="avatar" style={{ background: colorForUser(person.userId) }} aria-hidden="true">
                {initials(person.name)}
              </span>
              {/* The whole name on hover: a long one is cut to the panel's width. */}
              <span className="participant-name" title={person.name}>
                {person.name}
                {isSelf && <span className="muted"> (you)</span>}
                {person.role === 'guest' && <span className="role-tag"> guest</span>}
                <span className="participant-where muted">
                  {whereText(person.pages.map((page) => page.where))}
                  {tabs > 1 && ` · ${tabs} tabs`}
                </span>
              </span>
              {person.userId !== selfUserId &&
                (following ? (
                  <button type="button" className="button button-small button-active" data-stop-following onClick={onStopFollowing}>
                    Stop following
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    disabled={!connected}
                    onClick={() => onFollow({ userId: person.userId, name: person.name })}
                    aria-label={`Follow ${person.name}`}
                  >
                    Follow
                  </button>
                ))}
            </li>
          )
        })}
      </ul>
    </section>
  )
}

/** Changes this person's display name; refuses what the server would (empty, too long, control characters). */
function RenameForm({ name, onRename, onDone }: { name: string; onRename(name: string): void; onDone(): void }) {
  const [value, setValue] = useState(name)
  const checked = checkName(value)
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!checked.ok) return
    if (checked.name !== name) onRename(checked.name)
    onDone()
  }
  return (
    <form className="rename-form" onSubmit={submit} aria-label="Rename yourself">
      <label className="field">
        <span>Your name</span>
        <input
          value={value}
          // A few characters over the limit are let in so the reason can be shown, not silently cut.
          maxLength={MAX_NAME_LENGTH + 10}
          autoFocus
          aria-invalid={!checked.ok}
          aria-describedby={checked.ok ? undefined : 'rename-error'}
          onChange={(event) => setValue(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape') onDone()
          }}
        />
      </label>
      {!checked.ok && (
        <p id="rename-error" className="form-error" role="alert">
          {checked.message}
        </p>
      )}
      <div className="rename-actions">
        <button type="submit" className="button button-small button-primary" disabled={!checked.ok}>
          Save name
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}
