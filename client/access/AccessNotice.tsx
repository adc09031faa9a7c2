import { Link } from 'react-router'
import { AppHeader } from '../components/AppHeader.tsx'

/**
 * Why the page shows no workshop (no token, a refused token) or, `inline` in the workshop's
 * body, no board (one this role may not see).
 */
export function AccessNotice({ title, message, inline = false }: { title: string; message: string; inline?: boolean }) {
  if (inline) {
    return (
      <section className="card notice access-notice" role="alert">
        <h1>{title}</h1>
        <p>{message}</p>
      </section>
    )
  }
  return (
    <div className="lobby">
      <AppHeader />
      <main className="lobby-main">
        <section className="card notice access-notice" role="alert">
          <h1>{title}</h1>
          <p>{message}</p>
          <Link className="button" to="/">
            Back to workshops
          </Link>
        </section>
      </main>
    </div>
  )
}

/** Texts of the notices, one per reason (also used by tests through the page). */
export const ACCESS_TEXT = {
  noToken: {
    title: 'An invite link is needed',
    message:
      'To join this workshop, open the invite link the facilitator sent you. This browser has no link for this workshop yet.',
  },
  refused: {
    title: 'This invite link no longer works',
    message: 'The link was revoked or has expired. Ask the facilitator for a new invite link.',
  },
  boardUnavailable: {
    title: 'This board is not available to you',
    message: 'The account team keeps this board internal. Use the boards listed above.',
  },
  boardWithdrawn: {
    title: 'This board is no longer available to guests',
    message: 'The facilitator made this board internal while you were on it. Use the boards listed above.',
  },
} as const
