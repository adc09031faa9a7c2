import { useEffect, useEffectEvent, useRef, useState } from 'react'
import type { BoardId } from '../../shared/boards.ts'
import {
  CONTROL_CLIENT,
  CONTROL_PATH,
  CONTROL_SERVER,
  ControlServerMessageSchema,
  type ControlClientMessage,
  type ControlParticipant,
  type ControlServerMessage,
  type TimerState,
  type VoteView,
} from '../../shared/control.ts'
import { isPermanentCloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { workshopToken } from '../credentials.ts'
import { watchSilence } from '../watchSilence.ts'

/** What the page knows of the room: who is where, the timer, the vote. */
export interface RoomControl {
  connected: boolean
  /** This page's control connection id (to tell itself apart in {@link participants}). */
  selfId: string | null
  role: Role | null
  participants: ControlParticipant[]
  timer: TimerState
  /** Server clock minus this browser's clock, in ms (so a countdown shows the server's time). */
  clockOffsetMs: number
  vote: VoteView | null
  /** Which boards are customer-facing, as the room last said; null until it has. */
  customerFacing: Readonly<Record<string, boolean>> | null
  /** The results of the vote the facilitator closed last, until this person dismisses them or a new vote starts. */
  results: VoteView | null
  dismissResults(): void
  /** The last refusal the server sent (wrong role, over the vote limit…), for a short notice. */
  refusal: { message: string; at: number } | null
  /**
   * Raised at each push saying another page changed the workshop (its details, [C13]; which boards
   * are customer-facing; its links revoked): what shows them (an open Share panel) reads them again.
   */
  workshopRevision: number
  send(message: ControlClientMessage): void
}

export interface RoomControlEvents {
  /** The facilitator brought everyone to their board. */
  onSummoned(event: Extract<ControlServerMessage, { type: 'summoned' }>): void
  /** The presentation of `leader` ended ([C12]): stop following them. */
  onPresentEnded(leader: string): void
  /**
   * The control socket (re)connected: who presents now, if anyone ([C12]). A page that missed a
   * `present-ended` while its socket was away learns here that the presentation is over.
   */
  onWelcome(welcome: Extract<ControlServerMessage, { type: 'welcome' }>): void
  /** Board settings changed: fetch the access view again. */
  onAccessChanged(): void
  /** The workshop was renamed (or its other details changed, [C13]): fetch it again. */
  onWorkshopChanged(): void
  /** Which card fields are internal changed (team roles only, [C11]). */
  onSensitivityChanged?(fields: Extract<ControlServerMessage, { type: 'sensitivity' }>['fields']): void
}

const RECONNECT_MIN_MS = 500
const RECONNECT_MAX_MS = 10_000

function controlUrl(workshopId: string, userId: string, name: string): string | null {
  const token = workshopToken(workshopId)
  if (token === undefined) return null
  const protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:'
  const params = new URLSearchParams({ token, user: userId, name })
  return `${protocol}//${window.location.host}${CONTROL_PATH}/${encodeURIComponent(workshopId)}?${params}`
}

/**
 * The page's room-control connection (docs/decisions/002-room-control-channel.md): one websocket
 * per page and workshop, kept across board switches, reconnecting with backoff (not after a 44xx
 * close). Tells the server which board the page shows; everything it receives is parsed with the
 * shared schema, and anything else is ignored.
 */
export function useRoomControl(
  workshopId: string,
  user: { id: string; name: string } | null,
  board: BoardId | null,
  events: RoomControlEvents,
): RoomControl {
  const [state, setState] = useState<Omit<RoomControl, 'send' | 'dismissResults'>>({
    connected: false,
    selfId: null,
    role: null,
    participants: [],
    timer: { status: 'idle' },
    clockOffsetMs: 0,
    vote: null,
    results: null,
    customerFacing: null,
    refusal: null,
    workshopRevision: 0,
  })
  const socket = useRef<WebSocket | null>(null)
  /** The vote whose results this person dismissed last. */
  const dismissedResults = useRef<string | null>(null)
  const boardRef = useRef(board)
  boardRef.current = board
  const onEvent = useEffectEvent((message: ControlServerMessage) => {
    if (message.type === CONTROL_SERVER.summoned) events.onSummoned(message)
    if (message.type === CONTROL_SERVER.presentEnded) events.onPresentEnded(message.leader)
    if (message.type === CONTROL_SERVER.welcome) events.onWelcome(message)
    if (message.type === CONTROL_SERVER.access) events.onAccessChanged()
    if (message.type === CONTROL_SERVER.workshop) events.onWorkshopChanged()
    if (message.type === CONTROL_SERVER.sensitivity) events.onSensitivityChanged?.(message.fields)
  })
  const userId = user?.id ?? null
  const userName = user?.name ?? null
  // The name a (re)connection announces; a rename on an open connection is a message, not a reconnect.
  const nameRef = useRef(userName)
  nameRef.current = userName
  const hasName = userName !== null

  useEffect(() => {
    if (userId === null || !hasName) return
    let disposed = false
    let delay = RECONNECT_MIN_MS
    let timer: number | undefined
    // [S45] When the open socket last heard the server; null while none is open.
    let heardAt: number | null = null
    const closed = (ws: WebSocket, code: number) => {
      if (socket.current === ws) socket.current = null
      heardAt = null
      if (disposed) return
      setState((s) => ({ ...s, connected: false }))
      if (isPermanentCloseCode(code) || !navigator.onLine) return
      timer = window.setTimeout(connect, delay)
      delay = Math.min(delay * 2, RECONNECT_MAX_MS)
    }
    const connect = () => {
      const name = nameRef.current
      const url = name === null ? null : controlUrl(workshopId, userId, name)
      // Offline: the browser's `online` event connects again.
      if (url === null || disposed || !navigator.onLine) return
      const ws = new WebSocket(url)
      socket.current = ws
      ws.onopen = () => {
        heardAt = Date.now()
        delay = RECONNECT_MIN_MS
        // Renamed while connecting: the name in the address is already old.
        if (nameRef.current !== null && nameRef.current !== name) ws.send(JSON.stringify({ type: CONTROL_CLIENT.rename, name: nameRef.current } satisfies ControlClientMessage))
        ws.send(JSON.stringify({ type: CONTROL_CLIENT.presence, board: boardRef.current } satisfies ControlClientMessage))
      }
      ws.onmessage = (event) => {
        heardAt = Date.now()
        let parsed
        try {
          parsed = ControlServerMessageSchema.safeParse(JSON.parse(String(event.data)))
        } catch {
          return
        }
        if (!parsed.success) return
        const message = parsed.data
        switch (message.type) {
          case CONTROL_SERVER.welcome:
            setState((s) => ({ ...s, connected: true, selfId: message.id, role: message.role, clockOffsetMs: message.serverNow - Date.now(), customerFacing: message.customerFacing }))
            return onEvent(message)
          case CONTROL_SERVER.participants:
            return setState((s) => ({ ...s, participants: message.participants }))
          case CONTROL_SERVER.timer:
            return setState((s) => ({ ...s, timer: message.state, clockOffsetMs: message.serverNow - Date.now() }))
          case CONTROL_SERVER.vote: {
            const { vote } = message
            // A closed vote's last view is its results: kept apart, the vote itself is over. Sent
            // again when a guest's counts change (an item back on its board); once this person
            // dismissed them, they stay dismissed.
            if (vote?.closed) {
              if (dismissedResults.current === vote.id) return setState((s) => ({ ...s, vote: s.vote?.id === vote.id ? null : s.vote }))
              return setState((s) => ({ ...s, vote: null, results: vote }))
            }
            return setState((s) => ({ ...s, vote, results: vote ? null : s.results }))
          }
          case CONTROL_SERVER.refused:
            return setState((s) => ({ ...s, refusal: { message: message.message, at: Date.now() } }))
          case CONTROL_SERVER.access:
            setState((s) => ({ ...s, customerFacing: message.customerFacing, workshopRevision: s.workshopRevision + 1 }))
            return onEvent(message)
          case CONTROL_SERVER.workshop:
            setState((s) => ({ ...s, workshopRevision: s.workshopRevision + 1 }))
            return onEvent(message)
          case CONTROL_SERVER.beat:
            return
          default:
            onEvent(message)
        }
      }
      ws.onclose = (event) => closed(ws, event.code)
    }
    // [S45] An open socket that hears nothing (not even the server's beats): the server stopped
    // answering. The room's controls say it is reconnecting and the page reconnects at once, not
    // when the socket's close event comes: the browser waits for the server to answer the close.
    const stopSilence = watchSilence(
      () => heardAt,
      () => {
        const ws = socket.current
        if (ws === null) return
        ws.onmessage = null
        ws.onclose = null
        ws.close()
        closed(ws, 1006)
      },
    )
    // Chromium keeps an open websocket alive when the network goes away: offline, the page leaves
    // the room as if its connection dropped ([C12]: a presentation ends, its followers are released,
    // at once rather than when the server's pings give up), and comes back as soon as it is online.
    const onOffline = () => socket.current?.close(1000, 'offline')
    const onOnline = () => {
      window.clearTimeout(timer)
      delay = RECONNECT_MIN_MS
      if (socket.current === null) connect()
    }
    window.addEventListener('offline', onOffline)
    window.addEventListener('online', onOnline)
    connect()
    return () => {
      disposed = true
      stopSilence()
      // Another workshop's room (or none): its vote, results and people are not this one's (review).
      setState((s) => ({ ...s, vote: null, results: null, participants: [] }))
      window.removeEventListener('offline', onOffline)
      window.removeEventListener('online', onOnline)
      window.clearTimeout(timer)
      socket.current?.close(1000, 'page left')
      socket.current = null
    }
  }, [workshopId, userId, hasName])

  useEffect(() => {
    const ws = socket.current
    if (userName !== null && ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: CONTROL_CLIENT.rename, name: userName } satisfies ControlClientMessage))
  }, [userName])

  useEffect(() => {
    const ws = socket.current
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: CONTROL_CLIENT.presence, board } satisfies ControlClientMessage))
  }, [board])

  return {
    ...state,
    dismissResults: () => {
      if (state.results) dismissedResults.current = state.results.id
      setState((s) => ({ ...s, results: null }))
    },
    send(message) {
      const ws = socket.current
      if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(message))
    },
  }
}
