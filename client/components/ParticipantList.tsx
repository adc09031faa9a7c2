import type { TLUserId } from 'tldraw'
import { initials } from '../identity.ts'
import type { Participant } from '../board/useBoardSync.ts'

interface ParticipantListProps {
  participants: readonly Participant[]
  /** The user id this browser follows, if any. */
  followingUserId: string | null
  onFollow(userId: TLUserId): void
  onStopFollowing(): void
}

/** Everyone on this board, this browser first, with a Follow button for each other person. */
export function ParticipantList({ participants, followingUserId, onFollow, onStopFollowing }: ParticipantListProps) {
  return (
    <section className="panel-section" aria-labelledby="participants-heading">
      <h2 id="participants-heading" className="panel-heading">
        In the room <span className="count">{participants.length}</span>
      </h2>
      <ul className="participants" aria-label="Participants">
        {[...participants].sort((a, b) => Number(b.isSelf) - Number(a.isSelf)).map((person) => {
          const following = person.userId === followingUserId
          return (
            <li key={person.clientId} className="participant">
              <span className="avatar" style={{ background: person.color }} aria-hidden="true">
                {initials(person.name)}
              </span>
              <span className="participant-name">
                {person.name}
                {person.isSelf && <span className="muted"> (you)</span>}
              </span>
              {!person.isSelf &&
                (following ? (
                  <button type="button" className="button button-small button-active" onClick={onStopFollowing}>
                    Stop following
                  </button>
                ) : (
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => onFollow(person.userId)}
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
