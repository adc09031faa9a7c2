import { CLOSE_CODES, isPermanentCloseCode } from '../../shared/protocol.ts'
import type { BoardPart } from './openBoardPart.ts'

/** How long a part waits before reconnecting after the server said it sent too much (4429). */
const RATE_LIMITED_PAUSE_MS = 5000

/** What the owner of a board part does when the server closes its connection with a code that matters. */
export interface ServerCloseHandlers {
  /**
   * [S26] 4422, the server refused a change of this copy: the part is disconnected and its copy
   * (IndexedDB) is being dropped, since it holds the change; `cleared` settles once it is.
   */
  refused(event: CloseEvent, cleared: Promise<void>): void
  /** Any other close in 4400–4499: the provider stopped for good; on 4403 the copy was dropped ([A6]). */
  stopped(event: CloseEvent): void
  /** [S28] 4429: the provider stopped; the part reconnects after {@link RATE_LIMITED_PAUSE_MS} if `mayReconnect()` still says so. */
  rateLimited?(): void
  /** 4503: the board has as many connections as it allows; the provider keeps retrying. */
  full?(): void
  /** Whether the part may connect again now (not left, not refused, the browser online). */
  mayReconnect(): boolean
}

/**
 * Follows the server's close codes on `part`'s provider, the same for a board's page and for a
 * board sent in the background (sendUnsent.ts): a refused change drops the copy instead of sending
 * it again, a refusal for good is not retried, a rate limit pauses. Returns the function that stops.
 */
export function followServerCloses(part: BoardPart, on: ServerCloseHandlers): () => void {
  let pause: number | undefined
  const onClose = (event: CloseEvent | null) => {
    if (!event) return
    if (event.code === CLOSE_CODES.updateRefused) {
      part.provider.disconnect()
      on.refused(event, part.persistence.clearData())
      return
    }
    if (event.code === CLOSE_CODES.rateLimited) {
      // The provider stops on 44xx: it is reconnected here after a pause.
      on.rateLimited?.()
      window.clearTimeout(pause)
      pause = window.setTimeout(() => {
        if (on.mayReconnect()) part.provider.connect()
      }, RATE_LIMITED_PAUSE_MS)
      return
    }
    if (event.code === CLOSE_CODES.tooManyConnections) on.full?.()
    if (isPermanentCloseCode(event.code)) {
      // [A6] a board that became internal keeps no copy in a guest's browser.
      if (event.code === CLOSE_CODES.forbidden) void part.persistence.clearData()
      on.stopped(event)
    }
  }
  part.provider.on('connection-close', onClose)
  return () => {
    window.clearTimeout(pause)
    part.provider.off('connection-close', onClose)
  }
}
