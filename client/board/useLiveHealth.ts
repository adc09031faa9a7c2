import { useEffect, useState } from 'react'
import type { LiveHealth } from '../../shared/snapshotApi.ts'
import { ApiRequestError, getLiveHealth } from '../api.ts'

/** How often an open page asks for the live health; the server answers from its cache while nothing changes. */
const POLL_MS = 2000

/** The live plan health, or why there is none. */
export type LiveHealthState =
  | { status: 'loading' }
  | { status: 'ready'; live: LiveHealth }
  /** The caller may not see it (a guest while a board is internal, docs/security.md [A22]). */
  | { status: 'hidden' }

/**
 * The workshop's plan health as the boards are now (`GET /api/workshops/:id/health`), asked for
 * again every {@link POLL_MS} while the page is visible, so edits on any board, by anyone, show up.
 */
export function useLiveHealth(workshopId: string): LiveHealthState {
  const [state, setState] = useState<LiveHealthState>({ status: 'loading' })
  useEffect(() => {
    let stopped = false
    let controller: AbortController | null = null
    const poll = async () => {
      if (document.hidden || controller) return
      controller = new AbortController()
      try {
        const live = await getLiveHealth(workshopId, controller.signal)
        if (!stopped) setState({ status: 'ready', live })
      } catch (error) {
        if (!stopped && error instanceof ApiRequestError && error.status === 403) setState({ status: 'hidden' })
        // Other failures (offline, restart) keep the last answer; the next poll tries again.
      } finally {
        controller = null
      }
    }
    void poll()
    const timer = setInterval(() => void poll(), POLL_MS)
    return () => {
      stopped = true
      clearInterval(timer)
      controller?.abort()
    }
  }, [workshopId])
  return state
}
