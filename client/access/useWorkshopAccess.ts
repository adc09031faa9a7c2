import { useCallback, useEffect, useState } from 'react'
import { WorkshopAccessViewSchema, type WorkshopAccessView } from '../../shared/access.ts'
import { ApiRequestError, getAccess, joinAsFacilitator } from '../api.ts'
import { orgKey, workshopToken } from '../credentials.ts'

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
 * The last access view seen for this workshop, so a board opened offline still knows its role.
 * Only the page reads it (to hide controls); the server checks the token on every connection.
 */
function cachedAccess(workshopId: string): WorkshopAccessView | undefined {
  try {
    const parsed = WorkshopAccessViewSchema.safeParse(JSON.parse(localStorage.getItem(cacheKey(workshopId)) ?? 'null'))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

/**
 * `GET /api/workshops/:id/access` with this browser's token, fetched again whenever `refreshKey`
 * changes (the page passes the board, so switching boards picks up new board settings) or
 * `reload()` is called. A browser holding the organisation key but no token becomes the
 * facilitator first, as the lobby does.
 */
export function useWorkshopAccess(workshopId: string, refreshKey: string): { state: AccessState; reload(): void } {
  const [state, setState] = useState<AccessState>({ kind: 'loading' })
  const [version, setVersion] = useState(0)
  const reload = useCallback(() => setVersion((v) => v + 1), [])

  useEffect(() => {
    const controller = new AbortController()
    const load = async (): Promise<AccessState> => {
      if (workshopToken(workshopId) === undefined) {
        if (orgKey() === undefined) return { kind: 'noToken' }
        await joinAsFacilitator(workshopId)
      }
      const access = await getAccess(workshopId, controller.signal)
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

  return { state, reload }
}
