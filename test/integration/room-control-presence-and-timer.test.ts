/**
 * The room-control channel (docs/server-rules.md [C1]–[C6]): one participant list for the whole
 * workshop, filtered for guests; "bring everyone here" only from the facilitator; board settings
 * pushed at once; the timer on the server's clock, the same after a reconnect; bad input closed
 * with named codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTROL_LIMITS } from '../../shared/control.ts'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { openControl, refusedControl } from '../helpers/controlClient.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'Plan' })
})
afterAll(() => server.close())

describe('presence across boards', () => {
  it('[C4] shows everyone on their board; a guest sees team members on internal boards only as on an internal board', async () => {
    const facilitator = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fran')
    const team = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
    const guest = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
    facilitator.send({ type: 'presence', board: 'actions' })
    team.send({ type: 'presence', board: 'swot' })
    guest.send({ type: 'presence', board: 'actions' })

    const full = await facilitator.next('participants', (m) => m.participants.filter((p) => p.where !== null).length === 3)
    expect(Object.fromEntries(full.participants.map((p) => [p.name, [p.role, p.where]]))).toEqual({
      Fran: ['facilitator', 'actions'],
      Tom: ['team', 'swot'],
      Gina: ['guest', 'actions'],
    })
    const seenByGuest = await guest.next('participants', (m) => m.participants.filter((p) => p.where !== null).length === 3)
    expect(Object.fromEntries(seenByGuest.participants.map((p) => [p.name, p.where]))).toEqual({ Fran: 'actions', Tom: 'internal', Gina: 'actions' })
    const wheres = guest.messages.flatMap((m) => (m.type === 'participants' ? m.participants.map((p) => p.where) : []))
    expect(wheres).not.toContain('swot')

    // [C4] a guest may not claim to be on a board it may not see.
    guest.send({ type: 'presence', board: 'swot' })
    await guest.next('refused')
    await team.next('participants', (m) => m.participants.some((p) => p.name === 'Gina' && p.where === 'actions'))

    for (const client of [facilitator, team, guest]) client.close()
  })

  it('[C5] pushes a board made customer-facing to connected pages at once, and refilters presence', async () => {
    const team = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
    const guest = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
    team.send({ type: 'presence', board: 'swot' })
    await guest.next('participants', (m) => m.participants.some((p) => p.name === 'Tom' && p.where === 'internal'))

    const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerFacing: { swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false } }),
    })
    expect(response.status).toBe(200)
    const pushed = await guest.next('access')
    expect(pushed.customerFacing.swot).toBe(true)
    await guest.next('participants', (m) => m.participants.some((p) => p.name === 'Tom' && p.where === 'swot'))

    await workshopFetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } }),
    })
    await guest.next('access', (m) => m.customerFacing.swot === false)
    team.close()
    guest.close()
  })

  it('[C3] brings everyone to the facilitator’s board; a guest is told only that it is internal; others may not', async () => {
    const facilitator = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fran')
    const team = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
    const guest = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
    facilitator.send({ type: 'presence', board: 'swot' })
    await team.next('participants', (m) => m.participants.some((p) => p.name === 'Fran' && p.where === 'swot'))
    facilitator.send({ type: 'summon' })
    const summoned = await team.next('summoned')
    expect(summoned).toMatchObject({ leader: facilitator.userId, leaderName: 'Fran', board: 'swot' })
    expect((await guest.next('summoned')).board).toBe('internal')

    team.send({ type: 'summon' })
    expect((await team.next('refused')).message).toMatch(/facilitator/)
    expect(facilitator.messages.some((m) => m.type === 'summoned')).toBe(false)
    for (const client of [facilitator, team, guest]) client.close()
  })
})

describe('timer', () => {
  it('[C6] runs on the server clock: a page connecting later gets the same end time; only the facilitator runs it', async () => {
    const facilitator = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fran')
    facilitator.send({ type: 'timer', command: { action: 'start', durationMs: 5 * 60_000 } })
    const started = await facilitator.next('timer', (m) => m.state.status === 'running')
    if (started.state.status !== 'running') throw new Error('not running')
    expect(started.state.endsAt).toBe(started.serverNow + 5 * 60_000)

    const late = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
    const seen = await late.next('timer')
    expect(seen.state).toEqual(started.state)
    expect(seen.serverNow).toBeGreaterThanOrEqual(started.serverNow)

    late.send({ type: 'timer', command: { action: 'stop' } })
    await late.next('refused')

    facilitator.send({ type: 'timer', command: { action: 'pause' } })
    const paused = await facilitator.next('timer', (m) => m.state.status === 'paused')
    if (paused.state.status !== 'paused') throw new Error('not paused')
    facilitator.send({ type: 'timer', command: { action: 'extend', byMs: 60_000 } })
    await facilitator.next('timer', (m) => m.state.status === 'paused' && m.state.remainingMs === (paused.state.status === 'paused' ? paused.state.remainingMs : 0) + 60_000)

    // A reload: a new connection of the same person sees the paused timer as it was.
    late.close()
    const reloaded = await openControl(server, workshop.id, workshop.tokens.team, 'Tom', late.userId)
    const again = await reloaded.next('timer')
    expect(again.state).toMatchObject({ status: 'paused', remainingMs: paused.state.remainingMs + 60_000 })

    facilitator.send({ type: 'timer', command: { action: 'stop' } })
    await reloaded.next('timer', (m) => m.state.status === 'idle')
    facilitator.close()
    reloaded.close()
  })
})

describe('bad input', () => {
  it('[C1] refuses a missing or foreign token with 4401, an unknown workshop with 4404, a malformed user with 4400', async () => {
    expect((await refusedControl(server, `/control/${workshop.id}?user=user:x&name=A`)).code).toBe(CLOSE_CODES.unauthorized)
    const other = await server.createWorkshop({ account: 'Other', title: 'Other' })
    expect((await refusedControl(server, `/control/${workshop.id}?token=${other.tokens.team}&user=user:x&name=A`)).code).toBe(CLOSE_CODES.unauthorized)
    const ghost = 'zzzzzzzzzzzz'
    expect((await refusedControl(server, `/control/${ghost}?token=${await server.mintToken(ghost, 'team')}`)).code).toBe(CLOSE_CODES.unknownWorkshop)
    expect((await refusedControl(server, `/control/${workshop.id}?token=${workshop.tokens.team}&user=bob&name=A`)).code).toBe(CLOSE_CODES.badRoom)
  })

  it('[C2] closes a connection on malformed JSON (1007), an unknown message (1007), a huge frame (1009) and a flood (4429)', async () => {
    const cases: [string | Buffer | string[], number][] = [
      [Buffer.from([1, 2, 3]), CLOSE_CODES.unsupportedData],
      ['{not json', CLOSE_CODES.invalidPayload],
      [JSON.stringify({ type: 'presence', board: 'swot', extra: 1 }), CLOSE_CODES.invalidPayload],
      [JSON.stringify({ type: 'rename', name: 'x'.repeat(CONTROL_LIMITS.maxFrameBytes) }), CLOSE_CODES.messageTooBig],
      [Array.from({ length: CONTROL_LIMITS.maxMessagesPerWindow + 1 }, () => JSON.stringify({ type: 'presence', board: null })), CLOSE_CODES.rateLimited],
    ]
    const witness = await openControl(server, workshop.id, workshop.tokens.team, 'Witness')
    for (const [frames, code] of cases) {
      const client = await openControl(server, workshop.id, workshop.tokens.team, 'Mallory')
      for (const frame of [frames].flat()) client.ws.send(frame)
      expect((await client.closed).code).toBe(code)
    }
    await witness.next('participants', (m) => m.participants.length === 1)
    expect(witness.ws.readyState).toBe(witness.ws.OPEN)
    witness.close()
  })

  it('[C1] closes an open control connection with 4401 when its token expires', async () => {
    const token = await server.mintToken(workshop.id, 'team', { exp: Math.floor(Date.now() / 1000) + 2 })
    const client = await openControl(server, workshop.id, token, 'Brief')
    expect(await client.closed).toEqual({ code: CLOSE_CODES.unauthorized, reason: 'token expired' })
  })

  it('[A4] closes the control connections of a revoked role with 4401', async () => {
    const guest = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
    const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/links/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'guest' }),
    })
    expect(response.status).toBe(200)
    expect((await guest.closed).code).toBe(CLOSE_CODES.unauthorized)
  })
})
