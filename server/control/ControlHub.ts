/**
 * The room-control authority of every workshop (docs/decisions/002-room-control-channel.md,
 * docs/server-rules.md [C1]–[C13]): who is present on which board, "bring everyone here", present
 * mode, pushed access and workshop changes, the timer on the server's clock, and dot votes stored
 * durably. Knows nothing of its transport: the server hands it a {@link ControlSocket} per admitted
 * websocket and the frames it receives; everything a page learns is filtered for that page's role
 * here.
 *
 * @example
 * ```ts
 * const hub = new ControlHub({ store, log, itemOf })
 * const peer = await hub.join(admission, socket)
 * hub.receive(peer, text)
 * hub.leave(peer)
 * ```
 */
import { randomBytes } from 'node:crypto'
import type { BoardId } from '../../shared/boards.ts'
import {
  CONTROL_CLIENT,
  CONTROL_LIMITS,
  CONTROL_SERVER,
  ControlClientMessageSchema,
  whereFor,
  type ControlClientMessage,
  type ControlParticipant,
  type ControlServerMessage,
  type TimerCommand,
  type TimerState,
  type VoteView,
} from '../../shared/control.ts'
import { CLOSE_CODES, TOKEN_REFUSED, type CloseCode } from '../../shared/protocol.ts'
import { allInternal, canEditBoard, canSeeBoard, type CustomerFacing, type Role } from '../../shared/roles.ts'
import type { SensitivityOverrides } from '../../shared/sensitivity.ts'
import { checkCast, type VoteRecord, type VotedItem } from '../../shared/votes.ts'
import type { Logger } from '../log.ts'
import { BeatRound } from '../BeatRound.ts'
import type { Store } from '../store/Store.ts'
import { MISSED_HEARTBEATS, type ControlEvent, type ControlEventTarget, type RemotePeer } from '../cluster/ControlEvents.ts'
import type { ControlAdmission } from './authorizeControl.ts'

/** What the hub needs of a websocket. */
export type ControlSocket = { send(text: string): void; close(code: number, reason: string): void }

/** One page's control connection. */
export type ControlPeer = {
  readonly id: string
  readonly workshopId: string
  readonly role: Role
  /** [A4] Its role's generation when it was admitted. */
  readonly generation: number
  readonly userId: string
  name: string
  board: BoardId | null
  /** Message times in the current rate window ([C2]). */
  window: { start: number; count: number }
  socket: ControlSocket
  expiry: ReturnType<typeof setTimeout> | undefined
  /** [S45] Set by every message sent to it, cleared at every beat: a page that was sent something needs no beat. */
  sentSinceBeat: boolean
  closed: boolean
}

export type ControlHubDeps = {
  store: Store
  log: Logger
  /** The shape `item` of the board (shared or internal part; loaded for it if needed), or undefined (no such shape). */
  itemOf(workshopId: string, board: BoardId, item: string): Promise<VotedItem | undefined>
  /**
   * Of `items`, those the board's shared part holds (what a guest's board shows), the board
   * loaded for it if nobody is on it: a guest's vote counts count only those.
   */
  sharedItemsOf(workshopId: string, board: BoardId, items: readonly string[]): Promise<ReadonlySet<string>>
  now?: () => number
  /** [C14] Several instances: where this hub's events go to the others. */
  cluster?: { readonly instance: string; readonly heartbeatMs: number; publish(event: ControlEvent): void }
}

/** What another instance last said of a workshop's pages there ([C14]). */
type RemoteRoom = { peers: readonly RemotePeer[]; presenter: { id: string; userId: string } | null; seenAt: number }

type Workshop = {
  peers: Set<ControlPeer>
  customerFacing: CustomerFacing
  timer: TimerState
  /** The open (not closed) vote, if any. */
  vote: VoteRecord | null
  /**
   * The vote closed last here, while no other has started since: pages keep its results until
   * dismissed, so a guest's counts of it follow its items back onto (or off) the guest's board
   * (QA q30b: an item made visible again after the close stayed out of the guest's results).
   */
  closedVote: VoteRecord | null
  /** The page presenting now, if any: its leaving ends the presentation for everyone ([C12]). */
  presenter: ControlPeer | null
  /** When {@link presenter} started presenting (ms): of two presentations started on two instances, the later holds. */
  presenterSince: number
  /** Of the open vote's items, those a guest's board shows, as read at the vote's last change; null: not read yet. */
  guestShown: { voteId: string; items: ReadonlySet<string> } | null
  /** A read of the items a guest sees is queued after a change of the vote's board ({@link ControlHub.boardItemsChanged}). */
  guestShownStale: boolean
  /** Vote and timer changes are stored one after another, each before it is announced ([C6], [C10]). */
  queue: Promise<void>
  /** [C14] The pages of this workshop on other instances, by instance. */
  remote: Map<string, RemoteRoom>
}

/** [S45] What a page that was sent nothing else for a beat is sent. */
const BEAT: ControlServerMessage = { type: CONTROL_SERVER.beat }

/** Said to a page that votes or starts the timer in an archived workshop. */
export const ARCHIVED_REFUSAL = 'the workshop is archived: unarchive it to vote or run the timer'

/** setTimeout's longest delay; longer token lifetimes are waited for in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1

/** [C14] How often a timer or vote change read again after another instance changed it meanwhile. */
const MAX_STORE_RETRIES = 8

export class ControlHub implements ControlEventTarget {
  readonly #deps: ControlHubDeps
  readonly #workshops = new Map<string, Workshop>()
  readonly #loading = new Map<string, Promise<Workshop>>()
  /** [S45] Every page, beaten by one timer. */
  readonly #beats = new BeatRound<ControlPeer>((peer) => this.#beat(peer))

  constructor(deps: ControlHubDeps) {
    this.#deps = deps
  }

  #now(): number {
    return this.#deps.now?.() ?? Date.now()
  }

  /** Adds an admitted connection; sends it the welcome, the timer, the vote and everyone's presence. */
  async join(admission: Extract<ControlAdmission, { ok: true }>, socket: ControlSocket): Promise<ControlPeer | undefined> {
    const workshop = await this.#workshop(admission.workshopId)
    // [C14] Another instance may have changed the timer or the vote while this one was not told.
    if (this.#deps.cluster && workshop.peers.size > 0) {
      await this.#refresh(workshop, admission.workshopId)
      // The last page left meanwhile and the workshop was dropped: join the one kept now (review).
      if (this.#workshops.get(admission.workshopId) !== workshop) return this.join(admission, socket)
    }
    if (workshop.peers.size >= CONTROL_LIMITS.maxConnectionsPerWorkshop) {
      socket.close(CLOSE_CODES.tooManyConnections, 'too many pages in this workshop')
      return undefined
    }
    const peer: ControlPeer = {
      id: randomBytes(6).toString('base64url'),
      workshopId: admission.workshopId,
      role: admission.role,
      generation: admission.generation,
      userId: admission.userId,
      name: admission.name,
      board: null,
      window: { start: this.#now(), count: 0 },
      socket,
      expiry: undefined,
      sentSinceBeat: false,
      closed: false,
    }
    workshop.peers.add(peer)
    this.#beats.join(peer)
    this.#expireAt(peer, admission.expiresAt)
    const now = this.#now()
    this.#send(peer, {
      type: CONTROL_SERVER.welcome,
      id: peer.id,
      role: peer.role,
      serverNow: now,
      customerFacing: workshop.customerFacing,
      presenter: this.#presenterOf(workshop),
    })
    this.#send(peer, { type: CONTROL_SERVER.timer, state: workshop.timer, serverNow: now })
    if (peer.role === 'guest' && workshop.vote) await this.#readGuestShown(workshop, peer.workshopId, workshop.vote)
    this.#send(peer, { type: CONTROL_SERVER.vote, vote: this.#voteView(workshop, peer) })
    // [C14] The first page of this workshop here: the other instances say who is on theirs.
    if (workshop.peers.size === 1) this.#deps.cluster?.publish({ kind: 'hello', workshopId: peer.workshopId })
    this.#peersChanged(workshop, peer.workshopId)
    return peer
  }

  /** Handles one frame of `peer`: size, rate, schema, then the role's rights ([C1]–[C3]). */
  receive(peer: ControlPeer, data: string | ArrayBuffer | Uint8Array): void {
    if (peer.closed) return
    if (typeof data !== 'string') return this.#close(peer, CLOSE_CODES.unsupportedData, 'text frames only')
    if (data.length > CONTROL_LIMITS.maxFrameBytes) return this.#close(peer, CLOSE_CODES.messageTooBig, 'message too large')
    const now = this.#now()
    if (now - peer.window.start >= CONTROL_LIMITS.rateWindowMs) peer.window = { start: now, count: 0 }
    if (++peer.window.count > CONTROL_LIMITS.maxMessagesPerWindow) return this.#close(peer, CLOSE_CODES.rateLimited, 'too many messages')
    let json: unknown
    try {
      json = JSON.parse(data)
    } catch {
      return this.#close(peer, CLOSE_CODES.invalidPayload, 'not JSON')
    }
    const parsed = ControlClientMessageSchema.safeParse(json)
    if (!parsed.success) return this.#close(peer, CLOSE_CODES.invalidPayload, 'unknown or malformed message')
    const workshop = this.#workshops.get(peer.workshopId)
    if (workshop) this.#handle(workshop, peer, parsed.data)
  }

  /** Forgets a closed connection and tells the others. */
  leave(peer: ControlPeer): void {
    peer.closed = true
    clearTimeout(peer.expiry)
    this.#beats.leave(peer)
    const workshop = this.#workshops.get(peer.workshopId)
    if (!workshop?.peers.delete(peer)) return
    // [C12] the presenter's page closed, or lost its connection: its followers are released.
    if (workshop.presenter === peer) this.#endPresentation(workshop, peer)
    this.#peersChanged(workshop, peer.workshopId)
    // [C14] On several instances the store is what counts: a workshop with no page here is read
    // again when one joins, not kept (review: kept, it missed what the others changed meanwhile).
    if (workshop.peers.size === 0 && (this.#deps.cluster || (workshop.timer.status === 'idle' && !workshop.vote))) this.#workshops.delete(peer.workshopId)
  }

  /** Workshops with a page on this instance. */
  workshopIds(): string[] {
    return [...this.#workshops].filter(([, workshop]) => workshop.peers.size > 0).map(([id]) => id)
  }

  /**
   * The workshop's details were stored changed (renamed, its time zone, archived; [C13]): every
   * page is told to read the workshop again, which the REST route answers as its role may see it.
   */
  workshopChanged(workshopId: string): void {
    for (const peer of this.#workshops.get(workshopId)?.peers ?? []) this.#send(peer, { type: CONTROL_SERVER.workshop })
  }

  /**
   * Board settings changed ([C5]): every page is told at once, and presence is filtered again (a
   * guest no longer learns where people are on a board that just became internal).
   */
  accessChanged(workshopId: string, customerFacing: CustomerFacing): void {
    const workshop = this.#workshops.get(workshopId)
    if (!workshop) return
    workshop.customerFacing = customerFacing
    for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.access, customerFacing })
    this.#broadcastParticipants(workshop)
    // After the vote changes before it, with the items a guest's board shows read first.
    workshop.queue = workshop.queue.then(async () => {
      if (workshop.vote && hasGuest(workshop)) await this.#readGuestShown(workshop, workshopId, workshop.vote)
      for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.vote, vote: this.#voteView(workshop, peer) })
    })
  }

  /**
   * Field sensitivities changed ([C11]): every page is told at once (which fields, never a value):
   * the team's pages route their next write of a field by its new sensitivity, a guest's page
   * shows or leaves out that field in its side panel ([A35]).
   */
  sensitivityChanged(workshopId: string, fields: SensitivityOverrides): void {
    for (const peer of this.#workshops.get(workshopId)?.peers ?? []) {
      this.#send(peer, { type: CONTROL_SERVER.sensitivity, fields })
    }
  }

  /**
   * Records of a loaded board's shared part changed (`ids`; called inside the room's transaction,
   * so it only looks and queues). When one is an item of the open vote on that board and a guest
   * is here, the items a guest's board holds are read again once the change is in, and the guests
   * get the vote again if that changed (QA q28a: an item the team marked internal, or deleted,
   * after the reveal kept its id and count on the guest's socket).
   */
  boardItemsChanged(workshopId: string, board: BoardId, ids: readonly string[], anyGone: () => boolean = () => false, durable: () => Promise<void> = () => Promise.resolve()): void {
    const workshop = this.#workshops.get(workshopId)
    const vote = workshop && countedVoteOf(workshop)
    // [C14] A guest on another instance, where nobody has the board open, is told there once the
    // change is stored (that instance reads the board then; review: the id and count stayed on that
    // guest's socket). Without a vote known here (no page of the workshop on this instance), of
    // any item gone from the shared part.
    const cluster = this.#deps.cluster
    const tellOthers = () => void durable().then(() => cluster?.publish({ kind: 'vote-items', workshopId, board }), () => undefined)
    if (!workshop && cluster && anyGone()) tellOthers()
    if (!workshop || !vote || vote.board !== board || vote.ballots.length === 0) return
    const voted = new Set(vote.ballots.map((ballot) => ballot.item))
    if (!ids.some((id) => voted.has(id))) return
    if (cluster) tellOthers()
    this.#rereadGuestCounts(workshop, workshopId, board)
  }

  /** Reads again, once the changes queued before are in, which of the open vote's items a guest sees; tells the guests if that changed. */
  #rereadGuestCounts(workshop: Workshop, workshopId: string, board: BoardId): void {
    if (workshop.guestShownStale || !hasGuest(workshop)) return
    workshop.guestShownStale = true
    workshop.queue = workshop.queue.then(async () => {
      workshop.guestShownStale = false
      const current = countedVoteOf(workshop)
      if (!current || current.board !== board) return
      const before = workshop.guestShown?.voteId === current.id ? workshop.guestShown.items : null
      await this.#readGuestShown(workshop, workshopId, current)
      const after = workshop.guestShown?.items
      if (before && after && before.size === after.size && [...before].every((item) => after.has(item))) return
      for (const peer of workshop.peers) if (peer.role === 'guest') this.#send(peer, { type: CONTROL_SERVER.vote, vote: this.#voteView(workshop, peer, current) })
    })
  }

  /** [C14] This instance's pages of the workshop changed: the other instances are told, then every page here. */
  #peersChanged(workshop: Workshop, workshopId: string): void {
    this.#publishPeers(workshop, workshopId)
    this.#broadcastParticipants(workshop)
  }

  #publishPeers(workshop: Workshop, workshopId: string): void {
    const cluster = this.#deps.cluster
    if (!cluster) return
    const peers = [...workshop.peers].map((p) => ({ id: p.id, userId: p.userId, name: p.name, role: p.role, board: p.board }))
    const presenter = workshop.presenter ? { id: workshop.presenter.id, userId: workshop.presenter.userId } : null
    cluster.publish({ kind: 'peers', workshopId, peers, presenter })
  }

  /** The page presenting now, on this instance or another. */
  #presenterOf(workshop: Workshop): { id: string; userId: string } | null {
    if (workshop.presenter) return { id: workshop.presenter.id, userId: workshop.presenter.userId }
    for (const room of workshop.remote.values()) if (room.presenter) return room.presenter
    return null
  }

  /** [C14] An event of another instance: applied to this instance's pages of the workshop, if it has any. */
  applyRemote(instance: string, event: ControlEvent): void {
    const workshop = this.#workshops.get(event.workshopId)
    if (!workshop) return
    switch (event.kind) {
      case 'timer':
        workshop.timer = event.state
        for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.timer, state: event.state, serverNow: event.serverNow })
        return
      case 'vote':
        // The stored record, not the event's: events of two instances may arrive out of order (review).
        workshop.queue = workshop.queue.then(async () => {
          let stored: VoteRecord[]
          try {
            stored = await this.#deps.store.listVotes(event.workshopId)
          } catch (error) {
            this.#deps.log.error('control.vote_read_failed', { workshop: event.workshopId, error: String(error) })
            return this.#showVote(workshop, event.workshopId, event.vote)
          }
          await this.#showVote(workshop, event.workshopId, stored.find((vote) => vote.id === event.vote.id) ?? event.vote)
          await this.#followStoredVote(workshop, event.workshopId, stored)
        })
        return
      case 'vote-items':
        if (countedVoteOf(workshop)?.board === event.board) this.#rereadGuestCounts(workshop, event.workshopId, event.board)
        return
      case 'summon':
        // A presentation started elsewhere replaces one presented here, as one started here would
        // (QA of session 29: pages joining here followed the old presenter); its page was just
        // summoned too. Of two started at once, the later (then the greater connection id) holds on
        // every instance: the one presented here is newer, so the other instance yields (review).
        if (event.present && workshop.presenter) {
          const since = event.since ?? 0
          if (since < workshop.presenterSince || (since === workshop.presenterSince && event.leader.id < workshop.presenter.id)) return
          workshop.presenter = null
          this.#publishPeers(workshop, event.workshopId)
        }
        for (const peer of workshop.peers) {
          const where = canSeeBoard(peer.role, event.board, workshop.customerFacing) ? event.board : 'internal'
          this.#send(peer, { type: CONTROL_SERVER.summoned, leader: event.leader.userId, leaderName: event.leaderName, board: where, present: event.present })
        }
        return
      case 'present-ended':
        for (const room of workshop.remote.values()) if (room.presenter?.id === event.leader.id) room.presenter = null
        for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.presentEnded, leader: event.leader.userId })
        return
      case 'peers': {
        // A presentation that ended while its end was not heard (Redis away) ends here with the list that says so.
        const ended = workshop.remote.get(instance)?.presenter
        if (ended && ended.id !== event.presenter?.id) for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.presentEnded, leader: ended.userId })
        if (event.peers.length === 0 && event.presenter === null) workshop.remote.delete(instance)
        else workshop.remote.set(instance, { peers: event.peers, presenter: event.presenter, seenAt: this.#now() })
        this.#broadcastParticipants(workshop)
        return
      }
      case 'hello':
        if (workshop.peers.size > 0) this.#publishPeers(workshop, event.workshopId)
        return
    }
  }

  /** [C14] Renews this instance's peer lists; drops those of instances gone quiet, ending a presentation one held. */
  heartbeat(now: number, hearingSince: number | null): void {
    const cluster = this.#deps.cluster
    if (!cluster) return
    for (const [workshopId, workshop] of this.#workshops) {
      if (workshop.peers.size > 0) this.#publishPeers(workshop, workshopId)
      // Not hearing anyone is no news of anyone.
      if (hearingSince === null) continue
      let dropped = false
      for (const [instance, room] of workshop.remote) {
        if (now - Math.max(room.seenAt, hearingSince) <= MISSED_HEARTBEATS * cluster.heartbeatMs) continue
        workshop.remote.delete(instance)
        dropped = true
        if (room.presenter) for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.presentEnded, leader: room.presenter.userId })
      }
      if (dropped) this.#broadcastParticipants(workshop)
    }
  }

  hearingAgain(): void {
    for (const [workshopId, workshop] of this.#workshops) if (workshop.peers.size > 0) this.#deps.cluster?.publish({ kind: 'hello', workshopId })
  }

  /**
   * A role's links were revoked ([A4]): its control connections close with 4401 at once; the
   * other facilitators' pages read the workshop again, so a Share panel open there shows the new
   * link, not the revoked one.
   */
  revoked(workshopId: string, role: Role): void {
    for (const peer of [...(this.#workshops.get(workshopId)?.peers ?? [])]) {
      if (peer.role === role) this.#close(peer, CLOSE_CODES.unauthorized, TOKEN_REFUSED.revoked)
      else if (peer.role === 'facilitator') this.#send(peer, { type: CONTROL_SERVER.workshop })
    }
  }

  /**
   * [A4][A24] A read of the access state found `generations`: the control connections admitted
   * under an older generation of their role close with 4401 (a revocation whose event was lost),
   * and when any did, or `linksChanged`, the other facilitators' pages read the workshop again (as
   * {@link revoked}). A page admitted with a new link after the revocation stays. Returns how many closed.
   */
  closeRevoked(workshopId: string, generations: Readonly<Record<Role, number>>, linksChanged: boolean): number {
    const peers = [...(this.#workshops.get(workshopId)?.peers ?? [])]
    let closed = 0
    for (const peer of peers) {
      if (peer.generation >= generations[peer.role]) continue
      this.#close(peer, CLOSE_CODES.unauthorized, TOKEN_REFUSED.revoked)
      closed++
    }
    if (closed > 0 || linksChanged) for (const peer of peers) if (!peer.closed && peer.role === 'facilitator') this.#send(peer, { type: CONTROL_SERVER.workshop })
    return closed
  }

  /** Closes every control connection (server shutdown). */
  closeAll(code: CloseCode, reason: string): void {
    for (const workshop of this.#workshops.values()) for (const peer of [...workshop.peers]) this.#close(peer, code, reason)
  }

  #handle(workshop: Workshop, peer: ControlPeer, message: ControlClientMessage): void {
    const facilitator = peer.role === 'facilitator'
    switch (message.type) {
      case CONTROL_CLIENT.presence:
        // [C4] a page may only say it is on a board its role may see.
        if (message.board !== null && !canSeeBoard(peer.role, message.board, workshop.customerFacing)) {
          return this.#refuse(peer, 'that board is not visible to you')
        }
        peer.board = message.board
        return this.#peersChanged(workshop, peer.workshopId)
      case CONTROL_CLIENT.rename:
        peer.name = message.name
        return this.#peersChanged(workshop, peer.workshopId)
      case CONTROL_CLIENT.summon:
        if (!facilitator) return this.#refuse(peer, 'only the facilitator brings everyone')
        this.#summon(workshop, peer, false)
        return
      case CONTROL_CLIENT.present:
        if (!facilitator) return this.#refuse(peer, 'only the facilitator presents')
        if (!message.on) {
          // Another facilitator may have presented since: only the current presenter ends it.
          if (workshop.presenter === peer) this.#endPresentation(workshop, peer)
          return
        }
        const since = this.#now()
        if (this.#summon(workshop, peer, true, since)) {
          workshop.presenter = peer
          workshop.presenterSince = since
          // [C14] The other instances learn who presents (the pages here were summoned just now).
          this.#publishPeers(workshop, peer.workshopId)
        }
        return
      case CONTROL_CLIENT.timer:
        if (!facilitator) return this.#refuse(peer, 'only the facilitator runs the timer')
        return this.#changeTimer(workshop, peer, message.command)
      case CONTROL_CLIENT.voteStart:
        if (!facilitator) return this.#refuse(peer, 'only the facilitator starts a vote')
        return this.#changeVote(workshop, peer, (vote) => ({
          replaces: vote,
          next: {
            id: randomBytes(8).toString('base64url'),
            workshopId: peer.workshopId,
            board: message.board,
            question: message.question,
            votesPerPerson: message.votesPerPerson,
            shapeTypes: [...new Set(message.shapeTypes)],
            revealed: false,
            closed: false,
            createdAt: new Date(this.#now()).toISOString(),
            ballots: [],
          },
        }))
      case CONTROL_CLIENT.voteCast:
        return this.#changeVote(workshop, peer, async (vote) => {
          if (!vote || vote.id !== message.voteId) return 'no such open vote'
          const voter = {
            userId: peer.userId,
            role: peer.role,
            board: peer.board,
            mayEditBoard: canEditBoard(peer.role, vote.board, workshop.customerFacing),
          }
          // The board is read (loaded if need be) only for a cast the cheap checks would let through.
          const mayLook = message.add && !vote.closed && voter.role !== 'viewer' && voter.mayEditBoard && voter.board === vote.board
          const verdict = checkCast(vote, voter, message.item, mayLook ? await this.#deps.itemOf(peer.workshopId, vote.board, message.item) : undefined, message.add)
          if (!verdict.ok) return verdict.message
          const ballots = [...vote.ballots]
          if (message.add) ballots.push({ userId: peer.userId, item: message.item })
          else ballots.splice(ballots.findIndex((b) => b.userId === peer.userId && b.item === message.item), 1)
          return { next: { ...vote, ballots } }
        })
      case CONTROL_CLIENT.voteReveal:
      case CONTROL_CLIENT.voteClose:
        if (!facilitator) return this.#refuse(peer, 'only the facilitator reveals or closes a vote')
        return this.#changeVote(workshop, peer, (vote) => {
          if (!vote || vote.id !== message.voteId) return 'no such open vote'
          return message.type === CONTROL_CLIENT.voteReveal ? { next: { ...vote, revealed: true } } : { next: { ...vote, revealed: true, closed: true } }
        })
    }
  }

  /**
   * Brings every other page to `peer`'s board, following `peer`; false (refused) when `peer` is on
   * no board. `since`: when a presentation started, told to the other instances ([C14]).
   */
  #summon(workshop: Workshop, peer: ControlPeer, present: boolean, since?: number): boolean {
    const board = peer.board
    if (board === null) {
      this.#refuse(peer, 'open a board first')
      return false
    }
    for (const other of workshop.peers) {
      if (other === peer) continue
      const where = canSeeBoard(other.role, board, workshop.customerFacing) ? board : 'internal'
      this.#send(other, { type: CONTROL_SERVER.summoned, leader: peer.userId, leaderName: peer.name, board: where, present })
    }
    this.#deps.cluster?.publish({ kind: 'summon', workshopId: peer.workshopId, leader: { id: peer.id, userId: peer.userId }, leaderName: peer.name, board, present, ...(since !== undefined && { since }) })
    this.#deps.log.info('control.summon', { workshop: peer.workshopId, conn: peer.id, board })
    return true
  }

  /** [C12] `presenter` stopped presenting or left: every other page following them is released. */
  #endPresentation(workshop: Workshop, presenter: ControlPeer): void {
    workshop.presenter = null
    for (const other of workshop.peers) {
      if (other !== presenter) this.#send(other, { type: CONTROL_SERVER.presentEnded, leader: presenter.userId })
    }
    this.#deps.cluster?.publish({ kind: 'present-ended', workshopId: presenter.workshopId, leader: { id: presenter.id, userId: presenter.userId } })
    this.#publishPeers(workshop, presenter.workshopId)
    this.#deps.log.info('control.present_ended', { workshop: presenter.workshopId, conn: presenter.id })
  }

  /**
   * Applies a vote change after the ones before it: `change` sees the current open vote and returns
   * the next record (and the one it replaces, which is closed), or a refusal. The records are stored
   * before anyone is told ([C10]); a storage failure refuses the change and keeps the old state.
   */
  #changeVote(
    workshop: Workshop,
    peer: ControlPeer,
    change: (vote: VoteRecord | null) => string | { next: VoteRecord; replaces?: VoteRecord | null } | Promise<string | { next: VoteRecord; replaces?: VoteRecord | null }>,
  ): void {
    const { store, cluster, log } = this.#deps
    workshop.queue = workshop.queue.then(async () => {
      if (await this.#archived(peer)) return this.#refuse(peer, ARCHIVED_REFUSAL)
      // [C14] On several instances the stored vote is the one that counts, and it is replaced only
      // if nobody changed it since it was read (QA q29a: a cast on one instance erased another's).
      for (let attempt = 0; ; attempt++) {
        let result: Awaited<ReturnType<typeof change>>
        try {
          const current = cluster ? await this.#storedVote(peer.workshopId) : workshop.vote
          result = await change(current)
          if (typeof result === 'string') return this.#refuse(peer, result)
          // [C14] The vote a new one replaces is closed only if nobody changed it since it was read
          // (review: two starts at once left two open votes; a cast meanwhile lost its ballot).
          if (result.replaces && cluster) {
            if (!(await store.replaceVote(result.replaces, { ...result.replaces, revealed: true, closed: true }))) {
              if (attempt < MAX_STORE_RETRIES) continue
              return this.#refuse(peer, 'the vote changed meanwhile, try again')
            }
          } else if (result.replaces) await store.saveVote({ ...result.replaces, revealed: true, closed: true })
          if (!cluster || !current || current.id !== result.next.id) await store.saveVote(result.next)
          else if (!(await store.replaceVote(current, result.next))) {
            if (attempt < MAX_STORE_RETRIES) continue
            return this.#refuse(peer, 'the vote changed meanwhile, try again')
          }
          // [C14] Two votes started at once on two instances: the last one stored (by creation, id)
          // stays open, as every instance reads it; the others are closed (review: two stayed open).
          if (cluster && current?.id !== result.next.id) {
            const open = (await store.listVotes(peer.workshopId)).filter((vote) => !vote.closed)
            for (const other of open.slice(0, -1)) await store.replaceVote(other, { ...other, revealed: true, closed: true })
            const mine = result.next
            if (open.length > 1 && open.at(-1)?.id !== mine.id) result = { next: { ...mine, revealed: true, closed: true } }
          }
        } catch (error) {
          log.error('control.vote_store_failed', { workshop: peer.workshopId, error: String(error) })
          return this.#refuse(peer, 'could not store the vote, try again')
        }
        cluster?.publish({ kind: 'vote', workshopId: peer.workshopId, vote: result.next })
        await this.#showVote(workshop, peer.workshopId, result.next)
        if (cluster) await this.#followStoredVote(workshop, peer.workshopId)
        return
      }
    })
  }

  /** Tells this instance's pages of `vote` as it now is (stored). */
  async #showVote(workshop: Workshop, workshopId: string, vote: VoteRecord): Promise<void> {
    if (hasGuest(workshop)) await this.#readGuestShown(workshop, workshopId, vote)
    const replaced = workshop.vote
    if (!vote.closed) workshop.vote = vote
    else if (!replaced || replaced.id === vote.id) workshop.vote = null
    if (vote.closed && workshop.vote === null) workshop.closedVote = vote
    else if (!vote.closed) workshop.closedVote = null
    // A closed vote's results are sent once more (QA q28a: they were not, and a vote closed without
    // a reveal was never seen by anyone): pages keep them until dismissed. Then it leaves the pages.
    for (const other of workshop.peers) this.#send(other, { type: CONTROL_SERVER.vote, vote: this.#voteView(workshop, other, vote) })
    if (vote.closed && workshop.vote === null) {
      for (const other of workshop.peers) this.#send(other, { type: CONTROL_SERVER.vote, vote: null })
    }
  }

  /** [C14] The open vote here is the one stored open (events of two instances may disagree): the pages here are told if it was not. */
  async #followStoredVote(workshop: Workshop, workshopId: string, stored?: readonly VoteRecord[]): Promise<void> {
    try {
      const open = stored ? openVoteOf(stored) : await this.#storedVote(workshopId)
      if (open?.id === workshop.vote?.id) return
      workshop.vote = open
      if (open && hasGuest(workshop)) await this.#readGuestShown(workshop, workshopId, open)
      for (const peer of workshop.peers) this.#send(peer, { type: CONTROL_SERVER.vote, vote: this.#voteView(workshop, peer) })
    } catch (error) {
      this.#deps.log.error('control.vote_read_failed', { workshop: workshopId, error: String(error) })
    }
  }

  /** The workshop's open vote as stored. */
  async #storedVote(workshopId: string): Promise<VoteRecord | null> {
    return openVoteOf(await this.#deps.store.listVotes(workshopId))
  }

  /** [C14] Reads the timer and the open vote again, after the changes queued before. */
  async #refresh(workshop: Workshop, workshopId: string): Promise<void> {
    const read = workshop.queue.then(async () => {
      try {
        const [timer, vote] = await Promise.all([this.#deps.store.getTimer(workshopId), this.#storedVote(workshopId)])
        const changed = JSON.stringify(timer) !== JSON.stringify(workshop.timer) || JSON.stringify(vote) !== JSON.stringify(workshop.vote)
        workshop.timer = timer
        workshop.vote = vote
        if (vote && hasGuest(workshop)) await this.#readGuestShown(workshop, workshopId, vote)
        // The pages here were not told either (review): they are now.
        if (changed) {
          const serverNow = this.#now()
          for (const peer of workshop.peers) {
            this.#send(peer, { type: CONTROL_SERVER.timer, state: timer, serverNow })
            this.#send(peer, { type: CONTROL_SERVER.vote, vote: this.#voteView(workshop, peer) })
          }
        }
      } catch (error) {
        this.#deps.log.error('control.refresh_failed', { workshop: workshopId, error: String(error) })
      }
    })
    workshop.queue = read
    await read
  }

  /**
   * Applies a timer command after the changes before it, stores the new state, then announces it
   * ([C6]): a restart finds the timer as everyone last saw it. A storage failure refuses the
   * command and keeps the old state.
   */
  #changeTimer(workshop: Workshop, peer: ControlPeer, command: TimerCommand): void {
    workshop.queue = workshop.queue.then(async () => {
      // A timer already running may still be paused or stopped.
      if ((command.action === 'start' || command.action === 'resume' || command.action === 'extend') && (await this.#archived(peer))) return this.#refuse(peer, ARCHIVED_REFUSAL)
      // The announcement carries the clock the new state was computed on, so pages see exactly the
      // duration that was asked for (the store write in between takes milliseconds).
      let serverNow: number
      let next: TimerState
      try {
        if (this.#deps.cluster) {
          // [C14] On several instances the stored timer is the one that counts, and it is stored
          // only if no other instance changed it since it was read: two extensions at once both count.
          for (let attempt = 1; ; attempt++) {
            const current = await this.#deps.store.getTimer(peer.workshopId)
            serverNow = this.#now()
            next = nextTimer(current, command, serverNow)
            if (await this.#deps.store.replaceTimer(peer.workshopId, current, next)) break
            if (attempt === MAX_STORE_RETRIES) return this.#refuse(peer, 'the timer kept changing, try again')
          }
        } else {
          serverNow = this.#now()
          next = nextTimer(workshop.timer, command, serverNow)
          await this.#deps.store.saveTimer(peer.workshopId, next)
        }
      } catch (error) {
        this.#deps.log.error('control.timer_store_failed', { workshop: peer.workshopId, error: String(error) })
        return this.#refuse(peer, 'could not store the timer, try again')
      }
      workshop.timer = next
      this.#deps.cluster?.publish({ kind: 'timer', workshopId: peer.workshopId, state: next, serverNow })
      for (const other of workshop.peers) this.#send(other, { type: CONTROL_SERVER.timer, state: next, serverNow })
    })
  }

  /**
   * Whether `peer`'s workshop is archived ([A21]): every board read-only, so no vote changes and no
   * timer is started (QA q28a: both went on, and a vote's results reached the next snapshot).
   * Read from the store at each such command: an archive on another instance counts at once.
   */
  async #archived(peer: ControlPeer): Promise<boolean> {
    try {
      return (await this.#deps.store.getWorkshop(peer.workshopId))?.archivedAt !== undefined
    } catch (error) {
      this.#deps.log.error('control.workshop_read_failed', { workshop: peer.workshopId, error: String(error) })
      return true // refused: the command is asked for again
    }
  }

  /**
   * The open vote as `peer` may see it: none for a board its role may not see; counts once revealed
   * ([C9]). A guest's counts and total count only the items on its board now (QA q28a: a guest was
   * sent an internal item's id and count, and a total larger than the counts it could see);
   * its own ballots stay in `mine`, so its page can offer to take back one on an item gone from it.
   */
  #voteView(workshop: Workshop, peer: ControlPeer, vote: VoteRecord | null = workshop.vote): VoteView | null {
    if (!vote || !canSeeBoard(peer.role, vote.board, workshop.customerFacing)) return null
    const shown = peer.role === 'guest' ? this.#guestShownOf(workshop, vote) : undefined
    const mine: Record<string, number> = {}
    const counts: Record<string, number> = {}
    let total = 0
    for (const ballot of vote.ballots) {
      if (ballot.userId === peer.userId) mine[ballot.item] = (mine[ballot.item] ?? 0) + 1
      if (shown && !shown.has(ballot.item)) continue
      counts[ballot.item] = (counts[ballot.item] ?? 0) + 1
      total++
    }
    return {
      id: vote.id,
      board: vote.board,
      question: vote.question,
      votesPerPerson: vote.votesPerPerson,
      shapeTypes: vote.shapeTypes,
      revealed: vote.revealed,
      mine,
      counts: vote.revealed ? counts : null,
      total,
      ...(vote.closed ? { closed: true } : {}),
    }
  }

  /**
   * Reads which of `vote`'s items a guest's board holds (in the board's shared part, loaded for
   * it when nobody is on it: not one in its internal part, nor one deleted since) and keeps it for
   * the guests' views until the vote next changes. A failed read keeps none: nothing is counted.
   */
  async #readGuestShown(workshop: Workshop, workshopId: string, vote: VoteRecord): Promise<void> {
    const items = [...new Set(vote.ballots.map((ballot) => ballot.item))]
    try {
      workshop.guestShown = { voteId: vote.id, items: items.length === 0 ? new Set() : await this.#deps.sharedItemsOf(workshopId, vote.board, items) }
    } catch (error) {
      this.#deps.log.error('control.vote_items_read_failed', { workshop: workshopId, error: String(error) })
      workshop.guestShown = { voteId: vote.id, items: new Set() }
    }
  }

  /** The items of `vote` a guest's view counts: as last read, else none (nothing is counted that was not read). */
  #guestShownOf(workshop: Workshop, vote: VoteRecord): ReadonlySet<string> {
    return workshop.guestShown?.voteId === vote.id ? workshop.guestShown.items : new Set()
  }

  /** Everyone's presence, filtered per recipient ([C4]): a guest never learns the name of a board it may not see. */
  #broadcastParticipants(workshop: Workshop): void {
    const all: (ControlPeer | RemotePeer)[] = [...workshop.peers]
    for (const room of workshop.remote.values()) all.push(...room.peers)
    for (const recipient of workshop.peers) {
      const sees = (board: BoardId) => canSeeBoard(recipient.role, board, workshop.customerFacing)
      const participants: ControlParticipant[] = all.map((p) => ({
        id: p.id,
        userId: p.userId,
        name: p.name,
        role: p.role,
        where: whereFor(sees, p.board),
      }))
      this.#send(recipient, { type: CONTROL_SERVER.participants, participants })
    }
  }

  #refuse(peer: ControlPeer, message: string): void {
    this.#send(peer, { type: CONTROL_SERVER.refused, message })
  }

  #send(peer: ControlPeer, message: ControlServerMessage): void {
    if (peer.closed) return
    peer.socket.send(JSON.stringify(message))
    peer.sentSinceBeat = true
  }

  /** [S45] Sends the beat if the page was sent nothing since the previous one. */
  #beat(peer: ControlPeer): void {
    if (!peer.sentSinceBeat) this.#send(peer, BEAT)
    peer.sentSinceBeat = false
  }

  #close(peer: ControlPeer, code: CloseCode, reason: string): void {
    if (peer.closed) return
    peer.socket.close(code, reason)
    this.leave(peer)
  }

  #expireAt(peer: ControlPeer, expiresAt: number): void {
    const delay = expiresAt - this.#now()
    if (delay <= 0) return this.#close(peer, CLOSE_CODES.unauthorized, TOKEN_REFUSED.expired)
    peer.expiry = setTimeout(() => this.#expireAt(peer, expiresAt), Math.min(delay, MAX_TIMEOUT_MS))
    peer.expiry.unref()
  }

  async #workshop(workshopId: string): Promise<Workshop> {
    const loaded = this.#workshops.get(workshopId)
    if (loaded) return loaded
    let loading = this.#loading.get(workshopId)
    if (!loading) {
      loading = (async () => {
        const [access, votes, timer] = await Promise.all([
          this.#deps.store.getAccess(workshopId),
          this.#deps.store.listVotes(workshopId),
          this.#deps.store.getTimer(workshopId),
        ])
        const workshop: Workshop = {
          peers: new Set(),
          customerFacing: access?.customerFacing ?? allInternal(),
          timer,
          vote: votes.findLast((vote) => !vote.closed) ?? null,
          presenter: null,
          presenterSince: 0,
          closedVote: null,
          guestShown: null,
          guestShownStale: false,
          queue: Promise.resolve(),
          remote: new Map(),
        }
        this.#workshops.set(workshopId, workshop)
        return workshop
      })().finally(() => this.#loading.delete(workshopId))
      this.#loading.set(workshopId, loading)
    }
    return loading
  }
}

/** Whether a guest's page is among the workshop's pages here. */
/** The vote whose counts pages show: the open one, else the one closed last (its results). */
function countedVoteOf(workshop: Workshop): VoteRecord | null {
  return workshop.vote ?? workshop.closedVote
}

function hasGuest(workshop: Workshop): boolean {
  return [...workshop.peers].some((peer) => peer.role === 'guest')
}

/** The open vote of a workshop's stored votes (oldest first): the last one not closed. */
function openVoteOf(votes: readonly VoteRecord[]): VoteRecord | null {
  return votes.findLast((vote) => !vote.closed) ?? null
}

/** The timer after `command` at server time `now` ([C6]). */
export function nextTimer(timer: TimerState, command: TimerCommand, now: number): TimerState {
  switch (command.action) {
    case 'start':
      return { status: 'running', endsAt: now + command.durationMs, durationMs: command.durationMs }
    case 'pause':
      return timer.status === 'running' ? { status: 'paused', remainingMs: Math.max(0, timer.endsAt - now), durationMs: timer.durationMs } : timer
    case 'resume':
      return timer.status === 'paused' ? { status: 'running', endsAt: now + timer.remainingMs, durationMs: timer.durationMs } : timer
    case 'extend': {
      const cap = CONTROL_LIMITS.maxTimerMs
      if (timer.status === 'running') {
        const endsAt = Math.min(Math.max(timer.endsAt, now) + command.byMs, now + cap)
        return { status: 'running', endsAt, durationMs: Math.min(timer.durationMs + command.byMs, cap) }
      }
      if (timer.status === 'paused') {
        return { status: 'paused', remainingMs: Math.min(timer.remainingMs + command.byMs, cap), durationMs: Math.min(timer.durationMs + command.byMs, cap) }
      }
      return timer
    }
    case 'stop':
      return { status: 'idle' }
  }
}
