import { SILENT_SERVER_MS } from '../shared/protocol.ts'

/** How often a page looks at when its open sockets last heard the server. */
const LOOK_EVERY_MS = 500

/**
 * [S45] Calls `onSilent` while an open socket has heard nothing from the server for
 * {@link SILENT_SERVER_MS}. The server beats every socket it sends nothing else, so such a socket
 * is not a quiet room but a server that does not answer (hung, a stuck proxy, an uplink gone
 * without a TCP close), which the browser would take minutes to notice; `onSilent` drops the socket.
 * `heardAt` gives when the open socket last received anything (`Date.now()` time), or null while
 * no socket is open. Returns the function that stops watching.
 *
 * @example
 * const stop = watchSilence(() => (provider.wsconnected ? provider.wsLastMessageReceived : null), () => dropSilentSocket(provider))
 */
export function watchSilence(heardAt: () => number | null, onSilent: () => void): () => void {
  const timer = window.setInterval(() => {
    const at = heardAt()
    if (at !== null && Date.now() - at >= SILENT_SERVER_MS) onSilent()
  }, LOOK_EVERY_MS)
  return () => window.clearInterval(timer)
}
