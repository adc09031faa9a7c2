import type { WebsocketProvider } from 'y-websocket'
import { watchSilence } from '../watchSilence.ts'

/**
 * [S45] Drops `provider`'s socket once it has heard nothing from the server for
 * `SILENT_SERVER_MS` (the provider itself waits 30 s) after it synced, and the provider reconnects
 * with its backoff; `beforeDrop` runs first. Returns the function that stops watching.
 */
export function dropWhenSilent(provider: WebsocketProvider, beforeDrop: () => void = () => {}): () => void {
  return watchSilence(
    // Only once synced: the first sync may be one large message, and a slow link takes longer than
    // the limit to bring it (the page would drop it and ask again for ever, review of session 31).
    // A large update later is dropped at most once: after the drop the watch waits for the sync.
    () => (provider.wsconnected && provider.synced ? provider.wsLastMessageReceived : null),
    () => {
      beforeDrop()
      // As the browser reports a connection that dropped (1006): the provider's own close handler
      // detaches the socket, closes it and reconnects. Not `provider.disconnect()`: that first
      // sends this page's presence as gone into the socket, which a server that wakes up would
      // relay to everyone after the page has reconnected.
      provider.ws?.dispatchEvent(new CloseEvent('close', { code: 1006, reason: 'the server stopped answering' }))
    },
  )
}
