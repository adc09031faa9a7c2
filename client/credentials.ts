/**
 * The credentials the page sends (docs/security.md [A1], [A8], [A11]): the workshop token of an
 * invite link (`/w/<id>/…?token=…`), kept per workshop and removed from the address bar before
 * anything renders, and the organisation key the lobby asks for once. Both live in localStorage, so
 * an invite link opened once keeps working in this browser until it expires or is revoked.
 */
import { onStoredInOtherTab } from './otherTabs.ts'

const tokenKey = (workshopId: string) => `keyplan:token:${workshopId}`
const ORG_KEY = 'keyplan:orgKey'

/**
 * Moves `?token=` from the address bar into storage. Call once at start, before rendering: the
 * token must not stay in the history, in bookmarks, or in anything that reads `location.href`.
 */
export function captureTokenFromLocation(): void {
  const url = new URL(window.location.href)
  const token = url.searchParams.get('token')
  if (token === null) return
  const workshopId = /^\/w\/([^/]+)/.exec(url.pathname)?.[1]
  if (workshopId !== undefined && token !== '') rememberWorkshopToken(decodeURIComponent(workshopId), token)
  url.searchParams.delete('token')
  window.history.replaceState(window.history.state, '', url)
}

/** The token of each workshop this page read first or stored itself: the one its connections use. */
const inUse = new Map<string, string | undefined>()

/** The stored token of a workshop, if this browser opened one of its links. */
export function workshopToken(workshopId: string): string | undefined {
  const token = localStorage.getItem(tokenKey(workshopId)) ?? undefined
  if (!inUse.has(workshopId)) inUse.set(workshopId, token)
  return token
}

/** Stores the token of a workshop (from an invite link, or the facilitator link of a new workshop). */
export function rememberWorkshopToken(workshopId: string, token: string): void {
  localStorage.setItem(tokenKey(workshopId), token)
  inUse.set(workshopId, token)
}

/**
 * Whether another tab stored a token for the workshop since this page took the one it uses: a
 * page refused its link opens again with the new one, also when that was stored before the refusal
 * reached it (a revoke in another tab closes this tab's sockets as that tab gets its new link).
 */
export function newerTokenStored(workshopId: string): boolean {
  const stored = localStorage.getItem(tokenKey(workshopId)) ?? undefined
  return stored !== undefined && inUse.has(workshopId) && stored !== inUse.get(workshopId)
}

/**
 * Calls `onNew` when another tab of this browser stores a new token for the workshop (a link
 * opened there, or the facilitator link after a revoke there); returns the function that stops.
 */
export function onNewWorkshopToken(workshopId: string, onNew: () => void): () => void {
  return onStoredInOtherTab(tokenKey(workshopId), onNew)
}

/** The token in an invite link's URL. */
export function tokenOfLink(link: string): string {
  return new URL(link).searchParams.get('token') ?? ''
}

/** The organisation key entered in the lobby, if any. */
export function orgKey(): string | undefined {
  return localStorage.getItem(ORG_KEY) ?? undefined
}

/** Stores (or, with an empty key, forgets) the organisation key. */
export function setOrgKey(key: string): void {
  if (key === '') localStorage.removeItem(ORG_KEY)
  else localStorage.setItem(ORG_KEY, key)
}

/**
 * The `Authorization` header for an API path: the workshop's token under `/api/workshops/<id>`
 * (the organisation key if this browser has no token for it), the organisation key for
 * `/api/workshops` itself and everything under `/api/accounts`, nothing elsewhere.
 */
export function authorizationFor(path: string): Record<string, string> {
  // Accounts and the portfolio are the organisation's (docs/accounts.md [K4]).
  if (/^\/api\/accounts(?:[/?]|$)/.test(path)) {
    const key = orgKey()
    return key === undefined ? {} : { authorization: `Bearer ${key}` }
  }
  const match = /^\/api\/workshops(?:\/([^/?]+))?/.exec(path)
  if (!match) return {}
  const id = match[1]
  const credential = id === undefined ? orgKey() : (workshopToken(decodeURIComponent(id)) ?? orgKey())
  return credential === undefined ? {} : { authorization: `Bearer ${credential}` }
}
