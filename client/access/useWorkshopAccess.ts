import { useCallback, useEffect, useState } from 'react'
import { WorkshopAccessViewSchema, type WorkshopAccessView } from '../../shared/access.ts'
import { ApiRequestError, getAccess, joinAsFacilitator } from '../api.ts'
import { orgKey, workshopToken } from '../credentials.ts'
import { readStoredJson } from '../storedJson.ts'

/** What this browser may do in a workshop, as the page needs it to pick what to render. */
export type AccessState =
  | { kind: 'loading' }
  /** No token for this workshop in this browser: an invite link is needed. */
  | { kind: 'noToken' }
  /** The server refused the token (401): revoked, expired, or for another workshop. */
  | { kind: 'refused'; message: string }
  | { kind: 'missing' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; access: WorkshopAccessView }

const cacheKey = (workshopId: string) => `keyplan:access:${workshopId}`

/**
 * How often an open page checks its access again. Board settings are pushed over the room-control
 * channel at once (docs/server-rules.md [C5]); this is only the fallback while that is down.
 */
const ACCESS_REFRESH_MS = 60_000

/**
 * The last access view seen for this workshop, so a board opened offline still knows its role.
 * Only the page reads it (to hide controls); the server checks the token on every connection.
 */
function cachedAccess(workshopId: string): WorkshopAccessView | undefined {
  return readStoredJson(cacheKey(workshopId), WorkshopAccessViewSchema)
}

/**
 * `GET /api/workshops/:id/access` with this browser's token, fetched again whenever `refreshKey`
 * changes (the page passes the board, so switching boards picks up new board settings) or
 * `reload()` is called, and checked again in the background while the page is open. A browser
 * holding the organisation key but no token becomes the facilitator first, as the lobby does.
 */
export function useWorkshopAccess(workshopId: string, refreshKey: string): { state: AccessState; reload(): void } {
  const [state, setState] = useState<AccessState>({ kind: 'loading' })
  const [version, setVersion] = useState(0)
  const reload = useCallback(() => setVersion((v) => v + 1), [])

  useEffect(() => {
    const controller = new AbortController()
    const load = async (): Promise<AccessState> => {
      let joined = false
      if (workshopToken(workshopId) === undefined) {
        if (orgKey() === undefined) return { kind: 'noToken' }
        await joinAsFacilitator(workshopId)
        joined = true
      }
      const access = await getAccess(workshopId, controller.signal).catch(async (error: unknown) => {
        // A token this browser held was revoked (or expired): the organisation key still opens the
        // workshop, as its facilitator (QA pass of 2026-12-06: the admin was locked out of it).
        if (joined || !(error instanceof ApiRequestError) || error.status !== 401 || orgKey() === undefined) throw error
        await joinAsFacilitator(workshopId)
        return getAccess(workshopId, controller.signal)
      })
      localStorage.setItem(cacheKey(workshopId), JSON.stringify(access))
      return { kind: 'ready', access }
    }
    load()
      .catch((error: unknown): AccessState => {
        if (!(error instanceof ApiRequestError)) return { kind: 'error', message: 'Could not check your access to this workshop.' }
        if (error.status === 401 && workshopToken(workshopId) === undefined) return { kind: 'noToken' }
        if (error.status === 401) return { kind: 'refused', message: error.message }
        if (error.status === 404 || error.status === 400) return { kind: 'missing' }
        const cached = error.status === 0 ? cachedAccess(workshopId) : undefined
        return cached ? { kind: 'ready', access: cached } : { kind: 'error', message: error.message }
      })
      .then((next) => {
        if (!controller.signal.aborted) setState(next)
      })
    return () => controller.abort()
  }, [workshopId, refreshKey, version])

  // Board settings change while the page is open: a guest's switcher gains a board the facilitator
  // made customer-facing without a reload. Checked again while the page is visible, every
  // ACCESS_REFRESH_MS and whenever it regains focus; the state changes only when the view does.
  const ready = state.kind === 'ready' ? state.access : undefined
  useEffect(() => {
    if (!ready) return
    const controller = new AbortController()
    const refresh = () => {
      if (document.visibilityState !== 'visible') return
      getAccess(workshopId, controller.signal).then(
        (access) => {
          if (controller.signal.aborted || JSON.stringify(access) === JSON.stringify(ready)) return
          localStorage.setItem(cacheKey(workshopId), JSON.stringify(access))
          setState({ kind: 'ready', access })
        },
        (error: unknown) => {
          // Revoked meanwhile (with the organisation key, opened again as facilitator); anything
          // else (offline, a restart) keeps what the page has.
          if (!controller.signal.aborted && error instanceof ApiRequestError && error.status === 401) {
            if (orgKey() !== undefined) reload()
            else setState({ kind: 'refused', message: error.message })
          }
        },
      )
    }
    const timer = window.setInterval(refresh, ACCESS_REFRESH_MS)
    window.addEventListener('focus', refresh)
    document.addEventListener('visibilitychange', refresh)
    return () => {
      controller.abort()
      window.clearInterval(timer)
      window.removeEventListener('focus', refresh)
      document.removeEventListener('visibilitychange', refresh)
    }
  }, [workshopId, ready, reload])

  return { state, reload }
}
