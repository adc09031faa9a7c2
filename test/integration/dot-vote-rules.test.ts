/**
 * Dot votes over the room-control channel (docs/server-rules.md [C7]–[C10]): the facilitator
 * starts, reveals and closes; the server refuses a vote over the per-person limit, a viewer's vote,
 * a guest's vote on an internal board, a vote from someone not on the board, a vote on an item
 * of another type and one on an internal item (saying why); counts stay hidden until revealed; every ballot survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasRecord } from '../../shared/docLayout.ts'
import { type BoardClient, openBoard } from '../helpers/boardClients.ts'
import { waitFor } from '../helpers/clients.ts'
import { openControl, type ControlClient } from '../helpers/controlClient.ts'
import { action, note } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let swot: BoardClient
let actions: BoardClient

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'Plan' })
  // Board connections keep both rooms loaded, as the voters' pages do.
  swot = await openBoard(server, workshop.id, 'swot')
  await swot.write([note('shape:threat1', { x: 1200, y: 1000 }, 'New competitor'), note('shape:threat2', { x: 1300, y: 1000 }, 'Price pressure')])
  actions = await openBoard(server, workshop.id, 'actions')
  await actions.write([note('shape:idea', { x: 100, y: 900 }, 'Pilot'), action('shape:act1', { x: 100, y: 300 }, { title: 'Send proposal' })])
})
afterAll(async () => {
  swot.destroy()
  actions.destroy()
  await server.close()
})

async function onBoard(token: string, name: string, board: 'swot' | 'actions' | null): Promise<ControlClient> {
  const client = await openControl(server, workshop.id, token, name)
  client.send({ type: 'presence', board })
  await client.next('participants', (m) => m.participants.some((p) => p.name === name && p.where === board))
  return client
}

/** Sends a cast and waits for the answer: the updated vote, or a refusal. */
async function cast(client: ControlClient, voteId: string, item: string, add = true): Promise<string> {
  const before = client.messages.length
  client.send({ type: 'vote-cast', voteId, item, add })
  await waitFor(() => client.messages.slice(before).some((m) => m.type === 'vote' || m.type === 'refused'), 'an answer to the cast')
  const answer = client.messages.slice(before).find((m) => m.type === 'vote' || m.type === 'refused')
  return answer?.type === 'refused' ? answer.message : 'ok'
}

describe('dot vote rules', () => {
  let fran: ControlClient
  let tom: ControlClient
  let voteId: string

  it('[C3] lets only the facilitator start a vote', async () => {
    fran = await onBoard(workshop.tokens.facilitator, 'Fran', 'swot')
    tom = await onBoard(workshop.tokens.team, 'Tom', 'swot')
    const start = { type: 'vote-start', board: 'swot', question: 'Which threats matter most?', votesPerPerson: 2, shapeTypes: ['note'] } as const
    tom.send(start)
    await tom.next('refused')
    fran.send(start)
    const vote = (await tom.next('vote', (m) => m.vote !== null)).vote
    if (!vote) throw new Error('no vote')
    expect(vote).toMatchObject({ question: 'Which threats matter most?', votesPerPerson: 2, revealed: false, counts: null, total: 0 })
    voteId = vote.id
  })

  it('[C9] refuses a vote over the per-person limit, and hides counts until revealed', async () => {
    expect(await cast(tom, voteId, 'shape:threat1')).toBe('ok')
    expect(await cast(tom, voteId, 'shape:threat1')).toBe('ok')
    expect(await cast(tom, voteId, 'shape:threat2')).toMatch(/all 2 votes/)
    const seen = await tom.next('vote', (m) => m.vote?.total === 2)
    expect(seen.vote).toMatchObject({ mine: { 'shape:threat1': 2 }, counts: null })
    // The same person on a second page shares the limit.
    const tomAgain = await openControl(server, workshop.id, workshop.tokens.team, 'Tom', tom.userId)
    tomAgain.send({ type: 'presence', board: 'swot' })
    await tomAgain.next('participants', (m) => m.participants.filter((p) => p.where === 'swot').length === 3)
    expect(await cast(tomAgain, voteId, 'shape:threat2')).toMatch(/all 2 votes/)
    tomAgain.close()
    // Removing one frees it.
    expect(await cast(tom, voteId, 'shape:threat1', false)).toBe('ok')
    expect(await cast(tom, voteId, 'shape:threat2')).toBe('ok')
    expect(await cast(tom, voteId, 'shape:threat2', false)).toBe('ok')
    expect(await cast(tom, voteId, 'shape:threat2', false)).toMatch(/no vote of yours/)
  })

  it('[C7] refuses a viewer’s vote, a vote from someone not on the board, and [C8] an item that is not a note of this board', async () => {
    const vera = await onBoard(workshop.tokens.viewer, 'Vera', 'swot')
    expect(await cast(vera, voteId, 'shape:threat1')).toMatch(/viewers/)
    const away = await onBoard(workshop.tokens.team, 'Ann', 'actions')
    expect(await cast(away, voteId, 'shape:threat1')).toMatch(/on the board/)
    expect(await cast(tom, voteId, 'shape:idea')).toMatch(/cannot be voted/)
    expect(await cast(tom, voteId, 'shape:nothing')).toMatch(/cannot be voted/)
    // A note marked internal lives in the board's internal part: the refusal says why.
    const secret = note('shape:secret', { x: 1400, y: 1000 }, 'Margin squeeze')
    await swot.write([{ ...secret, meta: { ...secret.meta, keyplanInternal: true } }])
    expect(await cast(tom, voteId, 'shape:secret')).toMatch(/^internal items are not voted on/)
    vera.close()
    away.close()
  })

  it('[C7] never shows a guest a vote on an internal board, and refuses its vote there', async () => {
    const gina = await onBoard(workshop.tokens.guest, 'Gina', 'actions')
    expect((await gina.next('vote')).vote).toBeNull()
    expect(await cast(gina, voteId, 'shape:threat1')).toMatch(/may not vote/)
    gina.close()
  })

  it('[C9] shows counts to everyone once revealed; [C10] keeps every ballot across a restart', async () => {
    fran.send({ type: 'vote-reveal', voteId })
    const revealed = await tom.next('vote', (m) => m.vote?.revealed === true)
    expect(revealed.vote?.counts).toEqual({ 'shape:threat1': 1 })
    fran.close()
    tom.close()

    await server.stop()
    swot.destroy()
    actions.destroy()
    server = await startServer({ dataDir: server.dataDir })
    const again = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fran')
    const vote = (await again.next('vote')).vote
    expect(vote).toMatchObject({ id: voteId, revealed: true, counts: { 'shape:threat1': 1 }, total: 1 })
    expect(await server.store.listVotes(workshop.id)).toHaveLength(1)
    again.close()
  })

  it('[C7] lets a guest vote on a customer-facing board', async () => {
    swot = await openBoard(server, workshop.id, 'swot')
    actions = await openBoard(server, workshop.id, 'actions')
    const fran = await onBoard(workshop.tokens.facilitator, 'Fran', 'actions')
    fran.send({ type: 'vote-start', board: 'actions', question: 'Which first?', votesPerPerson: 1, shapeTypes: ['action'] })
    const gina = await onBoard(workshop.tokens.guest, 'Gina', 'actions')
    const vote = (await gina.next('vote', (m) => m.vote?.question === 'Which first?')).vote
    if (!vote) throw new Error('no vote')
    expect(await cast(gina, vote.id, 'shape:act1')).toBe('ok')
    // Starting it closed the SWOT vote, whose results stay stored.
    const stored = await server.store.listVotes(workshop.id)
    expect(stored.map((v) => [v.question, v.closed, v.ballots.length])).toEqual([
      ['Which threats matter most?', true, 1],
      ['Which first?', false, 1],
    ])
    fran.close()
    gina.close()
  })

  it("counts for a guest only the votes on items it sees, live and in its snapshot (QA q28a)", async () => {
    // Tom votes twice on a note the team then marks internal; Gina, the guest, twice on a visible one.
    await actions.write([note('shape:visible', { x: 100, y: 1100 }, 'Visible idea'), note('shape:teamonly', { x: 400, y: 1100 }, 'Team only idea')])
    const fran = await onBoard(workshop.tokens.facilitator, 'Fran', 'actions')
    const tom = await onBoard(workshop.tokens.team, 'Tom', 'actions')
    const gina = await onBoard(workshop.tokens.guest, 'Gina', 'actions')
    fran.send({ type: 'vote-start', board: 'actions', question: 'Which idea?', votesPerPerson: 2, shapeTypes: ['note'] })
    const vote = (await gina.next('vote', (m) => m.vote?.question === 'Which idea?')).vote
    if (!vote) throw new Error('no vote')
    expect(await cast(gina, vote.id, 'shape:visible')).toBe('ok')
    expect(await cast(gina, vote.id, 'shape:visible')).toBe('ok')
    expect(await cast(tom, vote.id, 'shape:teamonly')).toBe('ok')
    expect(await cast(tom, vote.id, 'shape:teamonly')).toBe('ok')
    const secret = note('shape:teamonly', { x: 400, y: 1100 }, 'Team only idea')
    await actions.write([{ ...secret, meta: { ...secret.meta, keyplanInternal: true } }])
    // [A35] The server moves it out of the shared part once its internal copy is durable; until
    // then guests see it, as before (CI: a reveal sent sooner counted it, as it should).
    await waitFor(() => !hasRecord(server.server.rooms.get(actions.room)!.doc, 'shape:teamonly'), 'the server to move the item out of the shared part')
    fran.send({ type: 'vote-reveal', voteId: vote.id })
    const seen = (await gina.next('vote', (m) => m.vote?.revealed === true)).vote
    // Live: no id, count or total of the internal item.
    expect(seen).toMatchObject({ counts: { 'shape:visible': 2 }, total: 2 })
    expect(JSON.stringify(gina.messages)).not.toContain('shape:teamonly')
    expect((await fran.next('vote', (m) => m.vote?.revealed === true)).vote).toMatchObject({ counts: { 'shape:visible': 2, 'shape:teamonly': 2 }, total: 4 })

    // In the snapshot: "2 votes from 1 person", not from 2 (Tom's were on the hidden item).
    const saved = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: '{"label":"After the vote"}',
    })
    expect(saved.status).toBe(201)
    const { id } = (await saved.json()) as { id: string }
    const read = async (token: string) => {
      const response = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${id}`, { headers: { authorization: `Bearer ${token}` } })
      const plan = (await response.json()) as { votes: { question: string; totalVotes: number; voters: number }[] }
      return plan.votes.find((v) => v.question === 'Which idea?')
    }
    expect(await read(workshop.tokens.guest)).toMatchObject({ totalVotes: 2, voters: 1 })
    expect(await read(workshop.tokens.facilitator)).toMatchObject({ totalVotes: 4, voters: 2 })
    const markdown = await fetch(`${server.url}/api/workshops/${workshop.id}/snapshots/${id}?format=md`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
    expect(await markdown.text()).toContain('2 votes from 1 person')
    for (const client of [fran, tom, gina]) client.close()
  })

  it('takes an item out of a guest\'s revealed counts when the team marks it internal or deletes it, and puts it back when made visible', async () => {
    await actions.write([note('shape:later', { x: 100, y: 1300 }, 'Shared for now'), note('shape:kept', { x: 400, y: 1300 }, 'Stays shared'), note('shape:gone', { x: 700, y: 1300 }, 'Deleted soon')])
    const fran = await onBoard(workshop.tokens.facilitator, 'Fran', 'actions')
    const gina = await onBoard(workshop.tokens.guest, 'Gina', 'actions')
    fran.send({ type: 'vote-start', board: 'actions', question: 'Which next?', votesPerPerson: 3, shapeTypes: ['note'] })
    const vote = (await gina.next('vote', (m) => m.vote?.question === 'Which next?')).vote
    if (!vote) throw new Error('no vote')
    for (const item of ['shape:later', 'shape:kept', 'shape:gone']) expect(await cast(gina, vote.id, item)).toBe('ok')
    fran.send({ type: 'vote-reveal', voteId: vote.id })
    expect((await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.revealed)).vote).toMatchObject({ counts: { 'shape:later': 1, 'shape:kept': 1, 'shape:gone': 1 }, total: 3 })

    // The team marks one internal after the reveal: the guest's socket loses its id and count at once.
    const before = gina.messages.length
    const later = note('shape:later', { x: 100, y: 1300 }, 'Shared for now')
    await actions.write([{ ...later, meta: { ...later.meta, keyplanInternal: true } }])
    const hidden = (await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.revealed && m.vote.total === 2)).vote
    expect(hidden?.counts).toEqual({ 'shape:kept': 1, 'shape:gone': 1 })
    expect(JSON.stringify(gina.messages.slice(before).map((m) => (m.type === 'vote' ? m.vote?.counts : m)))).not.toContain('shape:later')
    // Its own ballot stays the guest's, so its page can offer to take it back.
    expect(hidden?.mine).toMatchObject({ 'shape:later': 1 })

    // A deleted item leaves the guest's counts too; one made visible again comes back.
    await actions.remove(['shape:gone'])
    expect((await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.revealed && m.vote.total === 1)).vote?.counts).toEqual({ 'shape:kept': 1 })
    await actions.write([later])
    const back = (await gina.next('vote', (m) => m.vote?.total === 2 && m.vote.counts?.['shape:later'] === 1)).vote
    expect(back?.counts).toEqual({ 'shape:kept': 1, 'shape:later': 1 })
    fran.send({ type: 'vote-close', voteId: vote.id })
    fran.close()
    gina.close()
  })

  it("puts an item made visible again after the close back into a guest's results (QA q30b: they kept it out)", async () => {
    await actions.write([note('shape:back', { x: 100, y: 1500 }, 'Back soon'), note('shape:stays', { x: 400, y: 1500 }, 'Always shared')])
    const fran = await onBoard(workshop.tokens.facilitator, 'Fran', 'actions')
    const gina = await onBoard(workshop.tokens.guest, 'Gina', 'actions')
    fran.send({ type: 'vote-start', board: 'actions', question: 'Which after?', votesPerPerson: 2, shapeTypes: ['note'] })
    const vote = (await gina.next('vote', (m) => m.vote?.question === 'Which after?')).vote
    if (!vote) throw new Error('no vote')
    for (const item of ['shape:back', 'shape:stays']) expect(await cast(gina, vote.id, item)).toBe('ok')
    // Marked internal, then the vote closes: the guest's results leave it out.
    const back = note('shape:back', { x: 100, y: 1500 }, 'Back soon')
    await actions.write([{ ...back, meta: { ...back.meta, keyplanInternal: true } }])
    await waitFor(() => !hasRecord(server.server.rooms.get(actions.room)!.doc, 'shape:back'), 'the server to move the item out of the shared part')
    fran.send({ type: 'vote-close', voteId: vote.id })
    const closed = (await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.closed === true)).vote
    expect(closed).toMatchObject({ counts: { 'shape:stays': 1 }, total: 1 })

    // Made visible again: the guest is sent the closed vote's results with it back.
    await actions.write([back])
    const again = (await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.closed === true && m.vote.total === 2)).vote
    expect(again?.counts).toEqual({ 'shape:back': 1, 'shape:stays': 1 })
    // No other vote is shown open by it.
    expect(gina.messages.at(-1)).toMatchObject({ type: 'vote', vote: { closed: true } })
    fran.close()
    gina.close()
  })

  it("counts a guest's votes when the facilitator reveals with nobody on the vote's board (review: it said 'Nobody voted')", async () => {
    const other = await server.createWorkshop({ account: 'Northwind', title: 'Unloaded' })
    const board = await openBoard(server, other.id, 'actions')
    await board.write([note('shape:pilot', { x: 100, y: 1100 }, 'Pilot')])
    const onOther = async (token: string, name: string, where: 'actions' | null) => {
      const client = await openControl(server, other.id, token, name)
      client.send({ type: 'presence', board: where })
      await client.next('participants', (m) => m.participants.some((p) => p.name === name && p.where === where))
      return client
    }
    const fran = await onOther(other.tokens.facilitator, 'Fran', null)
    const gina = await onOther(other.tokens.guest, 'Gina', 'actions')
    fran.send({ type: 'vote-start', board: 'actions', question: 'Pilot?', votesPerPerson: 1, shapeTypes: ['note'] })
    const vote = (await gina.next('vote', (m) => m.vote?.question === 'Pilot?')).vote
    if (!vote) throw new Error('no vote')
    expect(await cast(gina, vote.id, 'shape:pilot')).toBe('ok')
    // Everyone leaves the board; its rooms unload.
    gina.send({ type: 'presence', board: null })
    board.destroy()
    await waitFor(() => server.server.rooms.get(`${other.id}/actions`) === undefined, 'the board to unload')
    fran.send({ type: 'vote-reveal', voteId: vote.id })
    const seen = (await gina.next('vote', (m) => m.vote?.revealed === true)).vote
    expect(seen).toMatchObject({ counts: { 'shape:pilot': 1 }, total: 1 })
    fran.close()
    gina.close()
  })
})
