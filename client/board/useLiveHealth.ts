import { useEffect, useState } from 'react'
import type { LinkTargets, LiveHealth } from '../../shared/snapshotApi.ts'
import { ApiRequestError, getLinkTargets, getLiveHealth } from '../api.ts'

/** How often an open page asks for the live health; the server answers from its cache while nothing changes. */
const POLL_MS = 2000

/** A live answer polled from the server, or why there is none. */
export type LiveState<T> =
  | { status: 'loading' }
  /** `stale`: the last poll failed (offline, the server restarting): this is the answer from before. */
  | { status: 'ready'; live: T; stale: boolean }
  /** No answer yet, and the last poll failed. */
  | { status: 'unreachable' }
  /** The caller may not see it (a guest, docs/security.md [A22]). */
  | { status: 'hidden' }

/**
 * The workshop's plan health as the boards are now (`GET /api/workshops/:id/health`), asked for
 * again every {@link POLL_MS} while the page is visible, so edits on any board, by anyone, show up.
 * A guest never gets it (docs/security.md [A22]), so a guest's page does not ask (`allowed` false);
 * refused anyway (403; or 401, 404: the page's link was revoked, the workshop deleted), the page
 * stops asking rather than be refused every 2 s for the session.
 */
export function useLiveHealth(workshopId: string, allowed: boolean): LiveHealthState {
  return usePolled(workshopId, getLiveHealth, allowed)
}

/** The live plan health, or why there is none. */
export type LiveHealthState = LiveState<LiveHealth>

/**
 * What a guest's link pickers offer (`GET /api/workshops/:id/link-targets`, docs/security.md [A42]),
 * polled like {@link useLiveHealth}: for a guest's page, and for the team's "View as customer"
 * (`asCustomer`), which shows the pickers as the guest's page has them. The team's own pickers
 * come with the plan health.
 */
export function useCustomerLinks(workshopId: string, allowed: boolean): LiveState<LinkTargets> {
  return usePolled(workshopId, getCustomerLinks, allowed)
}

const getCustomerLinks = (workshopId: string, signal: AbortSignal) => getLinkTargets(workshopId, 'customer', signal)

function usePolled<T>(workshopId: string, get: (workshopId: string, signal: AbortSignal) => Promise<T>, allowed: boolean): LiveState<T> {
  const [state, setState] = useState<LiveState<T>>(allowed ? { status: 'loading' } : { status: 'hidden' })
  useEffect(() => {
    if (!allowed) {
      setState({ status: 'hidden' })
      return
    }
    let stopped = false
    let controller: AbortController | null = null
    let timer: ReturnType<typeof setInterval> | undefined
    const poll = async () => {
      if (document.hidden || controller || stopped) return
      controller = new AbortController()
      try {
        const live = await get(workshopId, controller.signal)
        if (!stopped) setState({ status: 'ready', live, stale: false })
      } catch (error) {
        // Refused for good: not this role's (403), a link revoked (401), a workshop deleted (404).
        if (!stopped && error instanceof ApiRequestError && [401, 403, 404].includes(error.status)) {
          setState({ status: 'hidden' })
          clearInterval(timer)
        }
        // Other failures (offline, restart) keep the last answer, marked as out of date (QA q27b:
        // it read as current all along); the next poll tries again.
        else if (!stopped && !(error instanceof DOMException && error.name === 'AbortError')) {
          setState((previous) => (previous.status === 'ready' ? { ...previous, stale: true } : previous.status === 'hidden' ? previous : { status: 'unreachable' }))
        }
      } finally {
        controller = null
      }
    }
    void poll()
    timer = setInterval(() => void poll(), POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
      controller?.abort()
    }
  }, [workshopId, get, allowed])
  return state
}
