import { useEffect } from 'react'
import { Link } from 'react-router'
import { AppHeader } from '../components/AppHeader.tsx'
import { TOKEN_REFUSED } from '../../shared/protocol.ts'
import { newerTokenStored, onNewWorkshopToken, orgKey } from '../credentials.ts'

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
          {/* The lobby asks for the organisation key: no way back for a guest, who has none. */}
          {orgKey() !== undefined && (
            <Link className="button" to="/">
              Back to workshops
            </Link>
          )}
        </section>
      </main>
    </div>
  )
}

/** Where a refused link's holder gets a new one: a facilitator's own link has no facilitator to ask. */
const NEW_LINK = 'Ask the facilitator for a new invite link; a facilitator gets new links in the lobby, with the organisation key.'

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
  damaged: {
    title: 'This invite link is incomplete or damaged',
    message: 'Copy the whole link from the invitation and open it again, or ask the facilitator for a new invite link.',
  },
  expired: {
    title: 'This invite link has expired',
    message: `Invite links stay valid for a set number of days (30 unless the workshop was created with another). ${NEW_LINK}`,
  },
  retiredKey: {
    title: 'This invite link no longer works',
    message: `It was made with a signing key the server no longer uses (keys are replaced from time to time). ${NEW_LINK}`,
  },
  revoked: {
    title: 'This invite link was revoked',
    message: `The facilitator withdrew this link. ${NEW_LINK}`,
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

/**
 * The notice for a refused invite link, by the server's reason (a REST 401's message or the
 * websocket's close reason: docs/security.md): damaged, expired or revoked, else the general one.
 */
export function refusedNotice(reason: string | null | undefined): { title: string; message: string } {
  switch (reason) {
    case TOKEN_REFUSED.malformed:
    case TOKEN_REFUSED.invalid:
      return ACCESS_TEXT.damaged
    case TOKEN_REFUSED.expired:
      return ACCESS_TEXT.expired
    case TOKEN_REFUSED.retiredKey:
      return ACCESS_TEXT.retiredKey
    case TOKEN_REFUSED.revoked:
      return ACCESS_TEXT.revoked
    default:
      return ACCESS_TEXT.refused
  }
}

/**
 * The notice for this page's refused link ({@link refusedNotice}). A new link of the workshop
 * stored meanwhile by another tab of this browser (the facilitator revoked the links there and
 * that tab went on with the new one) opens the page again with it (QA pass of 2026-12-06: the
 * second tab stayed locked out until reloaded by hand).
 */
export function RefusedLinkNotice({ workshopId, reason }: { workshopId: string; reason: string | null | undefined }) {
  useEffect(() => {
    if (newerTokenStored(workshopId)) {
      window.location.reload()
      return
    }
    return onNewWorkshopToken(workshopId, () => window.location.reload())
  }, [workshopId])
  return <AccessNotice {...refusedNotice(reason)} />
}
