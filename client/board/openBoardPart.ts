import { IndexeddbPersistence } from 'y-indexeddb'
import { WebsocketProvider } from 'y-websocket'
import * as Y from 'yjs'
import { SYNC_PATH } from '../../shared/protocol.ts'
import { workshopToken } from '../credentials.ts'
import { getParticipantKey, getUserId } from '../identity.ts'
import { dropWhenSilent } from './dropWhenSilent.ts'
import { encodeOwnChangesOnly } from './encodeOwnChangesOnly.ts'

/** One document of a board (its shared or its internal part): the doc, its IndexedDB copy and its provider. */
export interface BoardPart {
  roomName: string
  doc: Y.Doc
  provider: WebsocketProvider
  persistence: IndexeddbPersistence
  destroy(): void
}

/** The websocket base URL of this origin's sync endpoint (`ws(s)://host/sync`). */
function syncUrl(): string {
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  return `${protocol}//${window.location.host}${SYNC_PATH}`
}

/**
 * Opens room `roomName` of `workshopId` as a board page does: a Y.Doc (with `clientID` when
 * given), its IndexedDB copy `keyplan:<roomName>`, and its provider, connected at once when
 * `connect` (and the browser is online). [S45] An open socket that hears nothing, not even the
 * server's beats, is dropped and reconnects; `onSilent` runs first.
 */
export function openBoardPart(
  workshopId: string,
  roomName: string,
  { clientID, connect = true, onSilent }: { clientID?: number; connect?: boolean; onSilent?: () => void } = {},
): BoardPart {
  const doc = new Y.Doc()
  if (clientID !== undefined) doc.clientID = clientID
  const persistence = new IndexeddbPersistence(`keyplan:${roomName}`, doc)
  const token = workshopToken(workshopId)
  // [S29] `user` and the secret `key` let this participant's next connection take over the Yjs
  // client id of this one (the server may still hold it until its ping times out), and keep
  // anyone else from writing with it, even after this page left. They also let another tab, or a
  // background send of this browser (sendUnsent.ts), connect beside it with edits of its ids. No
  // BroadcastChannel: tabs would forward each other's changes, which the server refuses as another
  // connection's client id.
  const provider = new WebsocketProvider(syncUrl(), roomName, doc, {
    connect: connect && navigator.onLine,
    params: token ? { token, user: getUserId(), key: getParticipantKey() } : { user: getUserId(), key: getParticipantKey() },
    disableBc: true,
  })
  const stopSkippingEncodes = encodeOwnChangesOnly(doc, provider, persistence)
  const stopSilence = dropWhenSilent(provider, onSilent)
  return {
    roomName,
    doc,
    provider,
    persistence,
    destroy() {
      stopSilence()
      stopSkippingEncodes()
      provider.destroy()
      void persistence.destroy()
      doc.destroy()
    },
  }
}
