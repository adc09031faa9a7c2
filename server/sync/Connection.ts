/**
 * One client websocket: sends with a bound on unsent data ([S9]), finds dead peers with
 * ping/pong ([S10]), beats when it sent nothing else ([S45]), closes with named codes, and queues
 * incoming frames until its room is loaded ([S3]).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { Socket } from 'node:net'
import type { WebSocket } from 'ws'
import { CLOSE_CODES, type CloseCode } from '../../shared/protocol.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import type { Role } from '../../shared/roles.ts'
import { addressKey } from '../auth/rateLimit.ts'
import { sendMark } from '../auth/SessionRegistry.ts'
import type { Logger } from '../log.ts'
import { BeatRound } from '../BeatRound.ts'
import { BEAT } from './messages.ts'
import { ConnectionRateLimits, type ConnectionRates } from './RateLimits.ts'

export type ConnectionOptions = {
  /** `<workshopId>/<board>`; used in logs. */
  docName: string
  /** Read-only connections get sync and awareness, but their document changes are dropped. */
  readOnly: boolean
  /** The role of the token the connection was admitted with. */
  role: Role
  /**
   * The participant's stable id (`user:…`, from the `user` URL parameter, see {@link parseUserId});
   * a connection of the same participant may take over its Yjs client ids ([S29]).
   */
  userId: string
  /**
   * The participant's secret (`key` URL parameter, see {@link parseParticipantKey}): a connection
   * presenting it holds its Yjs client ids for good ([S29]); null without one.
   */
  key: string | null
  /** Where it connects from and with which link, as {@link clientSource} gives it: the holds they took are bounded ([S29]). */
  source: string
  /** Per-second rates of its frames ([S28], [S30], [S31]). */
  rates: ConnectionRates
  maxBufferedBytes: number
  pingIntervalMs: number
  log: Logger
}

type Frame = string | ArrayBuffer | Uint8Array

function frameBytes(frame: Frame): number {
  return typeof frame === 'string' ? frame.length : frame.byteLength
}

/**
 * A frame to keep past the turn that read it, in memory of its own size: a `ws` message is a view
 * into the socket's read chunk (up to 64 KB, other frames and control frames included), which a
 * queued view would keep alive whole while only its own bytes count against `maxBufferedBytes`.
 */
function kept(frame: Frame): Frame {
  return frame instanceof Uint8Array && frame.byteLength !== frame.buffer.byteLength ? new Uint8Array(frame) : frame
}

/** What a `user` URL parameter must look like: a tldraw user id. */
const USER_ID = /^user:[A-Za-z0-9_-]{1,64}$/

/**
 * The participant id a sync connection gives in its `user` URL parameter, or a fresh one for this
 * connection alone when it gives none or a malformed one (it then shares its client ids with nobody).
 * @example parseUserId(new URL(request.url).searchParams.get('user'))
 */
export function parseUserId(param: string | null): string {
  return param !== null && USER_ID.test(param) ? param : `user:server-${randomBytes(12).toString('base64url')}`
}

/** What a `key` URL parameter must look like: 22–128 URL-safe characters (the page sends 32). */
const PARTICIPANT_KEY = /^[A-Za-z0-9_-]{22,128}$/

/**
 * The participant secret a sync connection gives in its `key` URL parameter, or null when it gives
 * none or a malformed one. The page makes one per browser and keeps it in localStorage; unlike the
 * user id, it is never shown to anyone.
 * @example parseParticipantKey(new URL(request.url).searchParams.get('key'))
 */
export function parseParticipantKey(param: string | null): string | null {
  return param !== null && PARTICIPANT_KEY.test(param) ? param : null
}

/**
 * The source a sync connection's Yjs client id holds are counted under ([S29]): a keyed digest of
 * its client address (IPv6 per /64, as the connection caps count it, docs/security.md [A13]) and
 * of the link it was admitted with (`link`: the token's id, or its role for a token without one),
 * so that the store keeps neither, and every instance sharing `secret` counts them alike. Keys are
 * free to mint but links are not (only the facilitator mints them): participants behind one
 * address with another link than a flooder's keep a quota of their own.
 * @example clientSource(address, secrets.orgKey, `${auth.role}:${auth.tokenId ?? ''}`)
 */
export function clientSource(address: string | undefined, secret: string, link: string): string {
  return createHmac('sha256', secret).update(`client-id-source:${addressKey(address)}\0${link}`).digest('base64url').slice(0, 22)
}

/** [S10] The open connections pinged at one interval, and the one timer that pings them all. */
type PingRound = { connections: Set<Connection>; timer: NodeJS.Timeout }

export class Connection {
  /**
   * [S10] One ping timer per interval for every connection with it, not one per connection
   * (issue 14: a timer and its closure are ~250 B of heap each). A connection is first pinged at
   * its round's next tick, then at every tick: one that answered neither a ping nor sent anything
   * for a whole interval is terminated, as with a timer of its own.
   */
  private static readonly pingRounds = new Map<number, PingRound>()

  /** [S45] Every connection in a room, beaten by one timer. */
  private static readonly beats = new BeatRound<Connection>((conn) => conn.beat())

  private static joinPingRound(conn: Connection, intervalMs: number): void {
    let round = Connection.pingRounds.get(intervalMs)
    if (!round) {
      const connections = new Set<Connection>()
      const timer = setInterval(() => {
        for (const pinged of connections) pinged.checkAlive()
      }, intervalMs)
      // unref: open connections must not keep a stopping process alive.
      timer.unref()
      Connection.pingRounds.set(intervalMs, (round = { connections, timer }))
    }
    round.connections.add(conn)
  }

  private static leavePingRound(conn: Connection, intervalMs: number): void {
    const round = Connection.pingRounds.get(intervalMs)
    if (!round?.connections.delete(conn) || round.connections.size > 0) return
    clearInterval(round.timer)
    Connection.pingRounds.delete(intervalMs)
  }

  /** Short random id, in every log line about this connection. */
  readonly id = randomBytes(6).toString('base64url')
  readonly docName: string
  readonly readOnly: boolean
  readonly role: Role
  readonly userId: string
  /**
   * [S29] Who holds this connection's client ids: its user id and the id of its key, or (without
   * a key) its user id alone. Only a keyed participant's client ids outlive its connection.
   */
  readonly participant: string
  readonly keyed: boolean
  /** [S29] Where it connects from, with which link ({@link clientSource}). */
  readonly source: string
  /**
   * The public id of its secret key (`shared/participantKey.ts`, a SHA-256 of it), or null without
   * one: what the creator stamps of its records name ([R5]) and its client ids are held under ([S29]).
   */
  readonly keyId: string | null
  /** Token buckets of its updates, step 1 requests and awareness. */
  readonly limits: ConnectionRateLimits
  /** Awareness client ids this connection announced; removed for everyone when it closes. */
  readonly awarenessIds = new Set<number>()
  /** [S29] The one Yjs client id its awareness may speak for, once it announced it. */
  awarenessClient: number | undefined
  /** [S29] Yjs client ids it owns in its room (its writes and its awareness). */
  readonly clientIds = new Set<number>()

  private readonly ws: WebSocket
  /**
   * The TCP socket under {@link ws}, which {@link send} writes frames built once for many peers to;
   * undefined when `ws` negotiated an extension (permessage-deflate queues and rewrites frames) or
   * runs over something else. `ws` writes every frame it sends to it at once and in order, so
   * writing whole frames to it between them keeps the stream a valid sequence of frames.
   */
  private readonly socket: Socket | undefined
  private readonly options: ConnectionOptions
  private receiver: ((frame: Frame, closing: boolean) => void) | undefined
  /** Frames not delivered yet: before {@link attach}, and while {@link hold} holds them. */
  private readonly queued: Frame[] = []
  private queuedBytes = 0
  /** Set while frames are held ({@link hold}): the timer that resumes reading. */
  private holdTimer: NodeJS.Timeout | undefined
  /**
   * [S3] Set when a frame delivered after the peer left was refused (its close changed nothing on
   * the wire): nothing it sent after the fault is delivered.
   */
  private faulted = false
  /** Set when it closed keeping what the peer sent (the peer left, or a shutdown): see {@link departed}. */
  private keptWrites = false
  private readonly closeListeners = new Set<() => void>()
  private alive = true
  /** [S45] Set by every send, cleared at every beat: a connection that was sent something needs no beat. */
  private sentSinceBeat = false
  private closedState = false
  /** [A24] While set, what {@link send} is given waits here, stamped ({@link holdSends}). */
  private heldSends: { mark: number; message: Uint8Array; framed: Buffer | undefined }[] | undefined
  private heldSendBytes = 0

  constructor(ws: WebSocket, options: ConnectionOptions) {
    this.ws = ws
    const socket: unknown = (ws as unknown as { _socket?: unknown })._socket // ws keeps the upgraded socket there, untyped
    this.socket = ws.extensions === '' && socket instanceof Socket ? socket : undefined
    this.options = options
    this.docName = options.docName
    this.readOnly = options.readOnly
    this.role = options.role
    this.userId = options.userId
    this.keyed = options.key !== null
    this.source = options.source
    // Hashed: the key itself is never kept or logged.
    this.keyId = options.key === null ? null : participantKeyId(options.key)
    this.participant = this.keyId === null ? options.userId : `${options.userId}#${this.keyId}`
    this.limits = new ConnectionRateLimits(options.rates)
    ws.on('pong', () => {
      this.alive = true
    })
    Connection.joinPingRound(this, options.pingIntervalMs)
  }

  /** True once the connection is closing or closed; nothing is sent any more. */
  get closed(): boolean {
    return this.closedState
  }

  /**
   * [S3] True once the peer left (or the server shut down) with nothing of its refused: what it sent
   * still counts, and nobody will send it again. False while open, and after a close for the peer's
   * own fault or by the room (a live peer closed by a reset resyncs its own copy when it reconnects),
   * until a reset keeps what the room had accepted from it ({@link keepAccepted}).
   */
  get departed(): boolean {
    return this.closedState && this.keptWrites && !this.faulted
  }

  /**
   * [S3] Called by a room reset while updates it had accepted from this closed connection were not
   * durable yet. A peer closed for its own fault (a refused update, 4422) dropped its copy and
   * reloads the board, a departed one is gone: either way nobody sends them again, so they count.
   * The connection is {@link departed} from now on, with nothing else of it left to deliver: what
   * it sent after those (up to and after its fault) is dropped, as before.
   */
  keepAccepted(): void {
    if (!this.closedState) return
    this.queued.length = 0
    this.queuedBytes = 0
    this.keptWrites = true
    this.faulted = false
  }

  /** Bytes of frames it sent that were not delivered yet (before its room loaded, or held). */
  get queuedByteCount(): number {
    return this.queuedBytes
  }

  /** Feeds an incoming frame; frames are queued until {@link attach} is called, and while held. */
  receive(frame: Frame): void {
    if (this.closedState) return
    this.alive = true
    if (this.receiver && this.holdTimer === undefined) {
      this.receiver(frame, false)
      return
    }
    // Bounded like the send buffer: a normal client sends a step 1 and an awareness update before
    // the board loads, and while held only what the socket had read before it paused arrives.
    this.queuedBytes += frameBytes(frame)
    if (this.queuedBytes > this.options.maxBufferedBytes) {
      this.close(CLOSE_CODES.messageTooBig, this.receiver ? 'too much data while held' : 'too much data before the board loaded')
      return
    }
    this.queued.push(kept(frame))
  }

  /**
   * Starts delivering frames (queued ones first) to `receiver`; called once the room is loaded.
   * `closing` is true for frames still held ({@link hold}) when the peer left: they are delivered
   * once more, at once, as the connection closes ([S28]). On a connection that the peer closed
   * before its room loaded, delivers what it sent meanwhile, at once, with `closing` ([S3]).
   */
  attach(receiver: (frame: Frame, closing: boolean) => void): void {
    if (this.closedState) {
      this.deliverClosing(receiver, this.queued.splice(0))
      this.queuedBytes = 0
      return
    }
    this.receiver = receiver
    // [S45] Beaten from now on: its room sent it step 1 and awareness, and will send it nothing more in a quiet room.
    Connection.beats.join(this)
    this.deliverQueued()
  }

  /**
   * [S28] Called by the receiver with the frame it is handling: delivers it again after `ms`, and
   * everything after it in order. The socket is not read meanwhile, so TCP slows the sender down
   * instead of the server buffering what it sends.
   */
  hold(frame: Frame, ms: number): void {
    if (this.closedState) return
    this.queued.unshift(kept(frame))
    this.queuedBytes += frameBytes(frame)
    if (this.holdTimer !== undefined) return
    this.ws.pause()
    this.holdTimer = setTimeout(() => {
      this.holdTimer = undefined
      if (this.closedState) return
      this.ws.resume()
      this.deliverQueued()
    }, Math.max(1, Math.ceil(ms)))
    this.holdTimer.unref()
  }

  /** Delivers queued frames until none is left or one of them is held again. */
  private deliverQueued(): void {
    while (this.queued.length > 0 && this.receiver && this.holdTimer === undefined && !this.closedState) {
      const frame = this.queued.shift() as Frame // length checked above
      this.queuedBytes -= frameBytes(frame)
      this.receiver(frame, false)
    }
  }

  /**
   * Sends one encoded message. A peer that still has more than `maxBufferedBytes` unsent is closed
   * with {@link CLOSE_CODES.slowConsumer} instead of buffering without bound. `framed` is the
   * message as its WebSocket frame (`webSocketFrame`, `updateFrameFromParts`), built once when it
   * goes to many peers, or with the message when it is one peer's cut of a batch: then written to
   * the socket as it is.
   */
  send(message: Uint8Array, framed?: Buffer): void {
    if (this.closedState || this.ws.readyState !== this.ws.OPEN) return
    if (this.heldSends !== undefined) {
      this.heldSends.push({ mark: sendMark(), message, framed })
      this.heldSendBytes += message.byteLength
      // Bounded as the socket's own buffer is ([S9]).
      if (this.heldSendBytes > this.options.maxBufferedBytes) {
        this.options.log.warn('sync.slow_consumer', { room: this.docName, conn: this.id, held: this.heldSendBytes })
        this.close(CLOSE_CODES.slowConsumer, 'send buffer full')
      }
      return
    }
    this.write(message, framed)
  }

  /**
   * [A24] Holds what is sent from now on, each send stamped with the registry's {@link sendMark}
   * (`SessionRegistry.holdGuests`: a guest while Redis is away).
   */
  holdSends(): void {
    this.heldSends ??= []
  }

  /** [A24] Sends, in order, what was held with a stamp below `before`; the rest stays held. */
  releaseSends(before: number): void {
    const held = this.heldSends
    if (held === undefined) return
    let count = 0
    while (count < held.length && (held[count]?.mark ?? before) < before) count++
    for (const { message, framed } of held.splice(0, count)) {
      this.heldSendBytes -= message.byteLength
      this.write(message, framed)
    }
  }

  /** [A24] Sends everything held, and holds no more. */
  stopHoldingSends(): void {
    const held = this.heldSends
    if (held === undefined) return
    this.heldSends = undefined
    this.heldSendBytes = 0
    for (const { message, framed } of held) this.write(message, framed)
  }

  /** Writes one message to the socket (see {@link send}). */
  private write(message: Uint8Array, framed: Buffer | undefined): void {
    if (this.closedState || this.ws.readyState !== this.ws.OPEN) return
    // Judge what is already queued, not this message: one large step 2 to a fresh peer is fine.
    if (this.ws.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.log.warn('sync.slow_consumer', {
        room: this.docName,
        conn: this.id,
        buffered: this.ws.bufferedAmount,
      })
      this.close(CLOSE_CODES.slowConsumer, 'send buffer full')
      return
    }
    if (framed !== undefined && this.socket !== undefined && this.socket.writable) this.socket.write(framed)
    else this.ws.send(message)
    this.sentSinceBeat = true
  }

  /** Closes with a named code; close listeners run at once (the room forgets the peer now). */
  close(code: CloseCode, reason: string): void {
    if (this.closedState) {
      // A frame delivered after the peer left was refused ([S28], [S3]): nothing after it counts.
      if (code !== CLOSE_CODES.goingAway) this.faulted = true
      return
    }
    this.options.log.info('sync.close', { room: this.docName, conn: this.id, code, reason })
    try {
      this.ws.close(code, reason)
    } catch {
      // ws throws on a socket that is already gone; there is nothing left to tell the peer.
      this.ws.terminate()
    }
    // A shutdown keeps what the peer wrote ([S12]); a close for the peer's own fault (a refused
    // update, a rate, a bad frame) drops what it sent after the fault.
    this.markClosed(code === CLOSE_CODES.goingAway)
  }

  /** Called when the socket closed (by the peer or the network). */
  handleSocketClosed(code: number): void {
    if (this.closedState) return
    this.options.log.info('sync.disconnect', { room: this.docName, conn: this.id, code })
    this.markClosed(true)
  }

  /** Runs `listener` once when the connection closes (immediately if it already has). */
  onClose(listener: () => void): void {
    if (this.closedState) listener()
    else this.closeListeners.add(listener)
  }

  /** [S45] Sends the beat if it was sent nothing since the previous one. */
  private beat(): void {
    // A socket with bytes still queued is being written to: it needs no beat, and one more frame
    // could push a large sync still on its way over the slow-consumer limit ([S9]).
    if (!this.sentSinceBeat && this.ws.bufferedAmount === 0) this.send(BEAT.message, BEAT.framed)
    this.sentSinceBeat = false
  }

  private checkAlive(): void {
    if (!this.alive) {
      this.options.log.info('sync.ping_timeout', { room: this.docName, conn: this.id })
      this.ws.terminate()
      this.markClosed(true)
      return
    }
    this.alive = false
    try {
      this.ws.ping()
    } catch {
      // The socket is closing; its close event will clean up.
    }
  }

  /**
   * `deliverHeld`: the frames held for the rates ([S28]) are delivered now, in order, before the
   * close listeners run (the room forgets the peer then): what a user wrote before leaving is
   * kept. Frames queued before the room loaded stay queued for {@link attach} ([S3]); without
   * `deliverHeld` (a close for the peer's own fault) everything queued is dropped.
   */
  private markClosed(deliverHeld = false): void {
    if (this.closedState) return
    this.closedState = true
    // [A24] what was held from a guest is not sent once it is closed (a board it may no longer see).
    this.heldSends = undefined
    this.heldSendBytes = 0
    this.keptWrites = deliverHeld
    const receiver = this.receiver
    const held = deliverHeld && receiver !== undefined && this.holdTimer !== undefined ? this.queued.splice(0) : []
    this.receiver = undefined
    if (!deliverHeld || receiver !== undefined) {
      this.queued.length = 0
      this.queuedBytes = 0
    }
    clearTimeout(this.holdTimer)
    this.holdTimer = undefined
    if (receiver) this.deliverClosing(receiver, held)
    Connection.leavePingRound(this, this.options.pingIntervalMs)
    Connection.beats.leave(this)
    for (const listener of this.closeListeners) listener()
    this.closeListeners.clear()
  }

  /** Delivers frames of a connection that closed, in order, until one of them is refused. */
  private deliverClosing(receiver: (frame: Frame, closing: boolean) => void, frames: Frame[]): void {
    for (const frame of frames) {
      if (this.faulted) return
      receiver(frame, true)
    }
  }
}
