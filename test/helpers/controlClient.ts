/**
 * A room-control client for integration tests: a real `ws` websocket to `/control/<workshopId>`,
 * keeping every message the server sent, parsed with the shared schema.
 *
 * @example
 * ```ts
 * const alice = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Alice')
 * alice.send({ type: 'presence', board: 'swot' })
 * await alice.next('participants', (m) => m.participants.length === 2)
 * ```
 */
import { randomUUID } from 'node:crypto'
import WebSocket from 'ws'
import { ControlServerMessageSchema, type ControlClientMessage, type ControlServerMessage } from '../../shared/control.ts'
import { waitFor } from './clients.ts'
import type { TestServer } from './startServer.ts'

export type ControlClient = {
  ws: WebSocket
  userId: string
  messages: ControlServerMessage[]
  send(message: ControlClientMessage | Record<string, unknown>): void
  /** The latest message of `type` matching `predicate`, waiting for it. */
  next<T extends ControlServerMessage['type']>(
    type: T,
    predicate?: (message: Extract<ControlServerMessage, { type: T }>) => boolean,
  ): Promise<Extract<ControlServerMessage, { type: T }>>
  /** The close code and reason, once the server closed the socket. */
  closed: Promise<{ code: number; reason: string }>
  close(): void
}

/** Opens a control connection and waits for its welcome. */
export async function openControl(
  server: Pick<TestServer, 'url'>,
  workshopId: string,
  token: string,
  name: string,
  userId = `user:${randomUUID()}`,
): Promise<ControlClient> {
  const url = new URL(`${server.url.replace(/^http/, 'ws')}/control/${workshopId}`)
  url.searchParams.set('token', token)
  url.searchParams.set('user', userId)
  url.searchParams.set('name', name)
  const ws = new WebSocket(url)
  const messages: ControlServerMessage[] = []
  ws.on('message', (data) => {
    const message = ControlServerMessageSchema.parse(JSON.parse(String(data)))
    // [S45] the server's beats say only that it answers: not kept, so `messages.at(-1)` is news.
    if (message.type !== 'beat') messages.push(message)
  })
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })))
  const client: ControlClient = {
    ws,
    userId,
    messages,
    closed,
    send: (message) => ws.send(JSON.stringify(message)),
    async next(type, predicate = () => true) {
      type M = Extract<ControlServerMessage, { type: typeof type }>
      const find = () => messages.findLast((m): m is M => m.type === type && predicate(m as M)) // narrowed by the type check
      await waitFor(() => find() !== undefined, `a ${type} message`)
      const found = find()
      if (!found) throw new Error('unreachable')
      return found
    },
    close: () => ws.close(),
  }
  await client.next('welcome')
  return client
}

/** Opens a control connection that the server refuses; resolves with its close. */
export async function refusedControl(server: TestServer, path: string): Promise<{ code: number; reason: string }> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}${path}`)
  return new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })))
}
