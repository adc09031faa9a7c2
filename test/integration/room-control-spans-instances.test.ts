/**
 * docs/server-rules.md [C14] (QA q29a): room control on two instances, the facilitator's page on
 * one and the team's and the guest's on the other. Everyone is in everyone's participant list; the
 * timer, "bring everyone here", a presentation and a dot vote reach the other instance at once; a
 * vote cast on each instance at the same moment keeps both ballots (one used to erase the other),
 * the item is checked on an instance where nobody has the board open, and a closed vote stays
 * closed for a page on the other instance. A page that joins an instance that was not told reads
 * timer and vote from the store. An instance that dies takes its pages out of the lists, and the
 * presentation it held ends for everyone.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { writeRecordChanges } from '../../shared/docLayout.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { openControl, type ControlClient } from '../helpers/controlClient.ts'
import { note } from '../helpers/planBoards.ts'
import { createWorkshop } from '../helpers/startServer.ts'

const cluster = useCluster()

/** Two instances on one database and Redis, and a workshop whose action plan is customer-facing. */
async function twoInstancesActionPlanShared() {
  const env = await cluster.env()
  const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)
  const settings = await fetch(`${a.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } }),
  })
  expect(settings.status).toBe(200)
  return { a, b, workshop }
}

test(
  'timer, votes, presence, summons and presentations reach the pages on the other instance [C14]',
  async () => {
    const { a, b, workshop } = await twoInstancesActionPlanShared()
    // The board is open on B only (the team's page there).
    const board = await connectSynced(b.syncUrl, `${workshop.id}/actions`)
    writeRecordChanges(board.doc, { put: [note('shape:x', { x: 100, y: 900 }, 'Pilot') as unknown as JsonObject, note('shape:y', { x: 400, y: 900 }, 'Renewal') as unknown as JsonObject], remove: [] })

    const on = async (server: typeof a, token: string, name: string): Promise<ControlClient> => {
      const client = await openControl(server, workshop.id, token, name)
      client.send({ type: 'presence', board: 'actions' })
      return client
    }
    const fran = await on(a, workshop.tokens.facilitator, 'Fran')
    const tom = await on(b, workshop.tokens.team, 'Tom')
    const gina = await on(b, workshop.tokens.guest, 'Gina')
    const names = (client: ControlClient, list: string[]) => (m: { participants: { name: string; where: unknown }[] }) =>
      list.every((name) => m.participants.some((p) => p.name === name && p.where === 'actions')) && m.participants.length === list.length
    // Presence: everyone sees all three (Fran used to see only herself; Tom and Gina not her).
    for (const client of [fran, tom, gina]) await client.next('participants', names(client, ['Fran', 'Tom', 'Gina']))

    // The timer started on A runs on B's pages.
    fran.send({ type: 'timer', command: { action: 'start', durationMs: 300_000 } })
    expect((await tom.next('timer', (m) => m.state.status === 'running')).state).toMatchObject({ status: 'running', durationMs: 300_000 })
    expect((await gina.next('timer', (m) => m.state.status === 'running')).state.status).toBe('running')

    // A vote started on A reaches B; a cast on each instance at once keeps both ballots.
    fran.send({ type: 'vote-start', board: 'actions', question: 'Which first?', votesPerPerson: 1, shapeTypes: ['note'] })
    const vote = (await tom.next('vote', (m) => m.vote?.question === 'Which first?')).vote
    if (!vote) throw new Error('no vote')
    await gina.next('vote', (m) => m.vote?.id === vote.id)
    tom.send({ type: 'vote-cast', voteId: vote.id, item: 'shape:x', add: true })
    gina.send({ type: 'vote-cast', voteId: vote.id, item: 'shape:y', add: true })
    // Fran's instance has no page on the board: the item is checked there all the same.
    fran.send({ type: 'vote-cast', voteId: vote.id, item: 'shape:y', add: true })
    for (const client of [fran, tom, gina]) await client.next('vote', (m) => m.vote?.id === vote.id && m.vote.total === 3)
    expect(fran.messages.filter((m) => m.type === 'refused')).toEqual([])
    fran.send({ type: 'vote-reveal', voteId: vote.id })
    const seen = (await tom.next('vote', (m) => m.vote?.id === vote.id && m.vote.revealed)).vote
    expect(seen?.counts).toEqual({ 'shape:x': 1, 'shape:y': 2 })
    fran.send({ type: 'vote-close', voteId: vote.id })
    await tom.next('vote', (m) => m.vote?.id === vote.id && m.vote.closed === true)
    await waitFor(() => tom.messages.at(-1)?.type === 'vote' && (tom.messages.at(-1) as { vote: unknown }).vote === null, 'the closed vote to leave the page on B')
    // Closed means closed on B too: taking back a ballot there does not reopen it (it did, emptied).
    const before = tom.messages.length
    tom.send({ type: 'vote-cast', voteId: vote.id, item: 'shape:x', add: false })
    await waitFor(() => tom.messages.slice(before).some((m) => m.type === 'refused'), 'the refusal')
    const votes = await fetch(`${a.url}/api/workshops/${workshop.id}/snapshots`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: '{"label":"After the vote"}',
    })
    expect(votes.status).toBe(201)
    const { id: snapshotId } = (await votes.json()) as { id: string }
    const plan = (await (await fetch(`${b.url}/api/workshops/${workshop.id}/snapshots/${snapshotId}`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })).json()) as {
      votes: { question: string; totalVotes: number }[]
    }
    expect(plan.votes.find((v) => v.question === 'Which first?')?.totalVotes).toBe(3)

    // Bring everyone here, then a presentation, from A.
    fran.send({ type: 'summon' })
    expect(await tom.next('summoned', (m) => !m.present)).toMatchObject({ board: 'actions', leaderName: 'Fran' })
    fran.send({ type: 'present', on: true })
    expect(await gina.next('summoned', (m) => m.present)).toMatchObject({ board: 'actions', leaderName: 'Fran' })
    // A page joining B meanwhile is told who presents, and finds the timer.
    const late = await openControl(b, workshop.id, workshop.tokens.team, 'Lea')
    const welcome = await late.next('welcome')
    expect(welcome.presenter?.userId).toBe(fran.userId)
    expect((await late.next('timer')).state.status).toBe('running')

    // A dies: its page leaves B's lists, and its presentation ends there.
    a.process.kill('SIGKILL')
    await a.exited
    await tom.next('present-ended', (m) => m.leader === fran.userId)
    await gina.next('participants', (m) => !m.participants.some((p) => p.name === 'Fran'))
    for (const client of [tom, gina, late]) client.close()
    board.destroy()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  "a guest's counts on one instance drop an item the team makes internal on the other; two votes started at once leave one open [C14] (review)",
  async () => {
    const { a, b, workshop } = await twoInstancesActionPlanShared()
    // The board is open on B only (the team's page, both parts); every control page is on A.
    const board = await connectSynced(b.syncUrl, `${workshop.id}/actions`)
    const internal = await connectSynced(b.syncUrl, `${workshop.id}/actions/internal`)
    const team = mergedPartsSource(board.doc, internal.doc, () => resolveSensitivity(undefined))
    const later = note('shape:later', { x: 100, y: 900 }, 'Shared for now') as unknown as JsonObject
    team.write({ put: [later, note('shape:kept', { x: 400, y: 900 }, 'Stays') as unknown as JsonObject], remove: [] }, undefined)
    const on = async (token: string, name: string): Promise<ControlClient> => {
      const client = await openControl(a, workshop.id, token, name)
      client.send({ type: 'presence', board: 'actions' })
      await client.next('participants', (m) => m.participants.some((p) => p.name === name && p.where === 'actions'))
      return client
    }
    const fran = await on(workshop.tokens.facilitator, 'Fran')
    const gina = await on(workshop.tokens.guest, 'Gina')
    fran.send({ type: 'vote-start', board: 'actions', question: 'Which?', votesPerPerson: 2, shapeTypes: ['note'] })
    const vote = (await gina.next('vote', (m) => m.vote?.question === 'Which?')).vote
    if (!vote) throw new Error('no vote')
    gina.send({ type: 'vote-cast', voteId: vote.id, item: 'shape:later', add: true })
    gina.send({ type: 'vote-cast', voteId: vote.id, item: 'shape:kept', add: true })
    await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.total === 2)
    fran.send({ type: 'vote-reveal', voteId: vote.id })
    await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.revealed && m.vote.total === 2)
    // The team marks one internal through B: the guest's socket on A loses its count.
    team.write({ put: [{ ...later, meta: { ...(later.meta as JsonObject), keyplanInternal: true } }], remove: [] }, undefined)
    const hidden = (await gina.next('vote', (m) => m.vote?.id === vote.id && m.vote.revealed && m.vote.total === 1)).vote
    expect(hidden?.counts).toEqual({ 'shape:kept': 1 })

    // Two facilitators, one on each instance, start a vote at the same moment: one stays open.
    const felix = await openControl(b, workshop.id, workshop.tokens.facilitator, 'Felix')
    felix.send({ type: 'presence', board: 'actions' })
    await felix.next('participants', (m) => m.participants.some((p) => p.name === 'Felix' && p.where === 'actions'))
    fran.send({ type: 'vote-start', board: 'actions', question: 'From A', votesPerPerson: 1, shapeTypes: ['note'] })
    felix.send({ type: 'vote-start', board: 'actions', question: 'From B', votesPerPerson: 1, shapeTypes: ['note'] })
    await waitFor(() => fran.messages.filter((m) => m.type === 'vote' && (m.vote?.question === 'From A' || m.vote?.question === 'From B')).length >= 2, 'both starts to be answered', 30_000)
    // The store holds one open vote: a page joining either instance is shown the same one.
    const current = async (server: typeof a) => {
      const page = await openControl(server, workshop.id, workshop.tokens.team, 'Late')
      const vote = (await page.next('vote')).vote
      page.close()
      return vote
    }
    const [onA, onB] = [await current(a), await current(b)]
    expect(onA?.question === 'From A' || onA?.question === 'From B').toBe(true)
    expect(onB?.id).toBe(onA?.id)
    for (const client of [fran, gina, felix]) client.close()
    internal.destroy()
    board.destroy()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'a Redis outage longer than the heartbeats does not end a presentation held on another instance; one ended meanwhile ends once Redis is back (QA q36a)',
  async () => {
    const { a, b, workshop } = await twoInstancesActionPlanShared()
    const fran = await openControl(a, workshop.id, workshop.tokens.facilitator, 'Fran')
    fran.send({ type: 'presence', board: 'actions' })
    const tom = await openControl(b, workshop.id, workshop.tokens.team, 'Tom')
    tom.send({ type: 'presence', board: 'actions' })
    await tom.next('participants', (m) => m.participants.some((p) => p.name === 'Fran'))
    fran.send({ type: 'present', on: true })
    await tom.next('summoned', (m) => m.present)

    const health = async (server: typeof a) => ((await (await fetch(`${server.url}/api/health`)).json()) as { status: string }).status
    const until = async (check: () => Promise<boolean>, what: string) => {
      for (let i = 0; i < 1200 && !(await check()); i++) await new Promise((resolve) => setTimeout(resolve, 50))
      expect(await check(), what).toBe(true)
    }
    await cluster.redis().kill()
    await until(async () => (await health(a)) === 'degraded' && (await health(b)) === 'degraded', 'both instances to say degraded')
    // Longer than the three heartbeats (2 s each) after which a silent instance's list is dropped.
    await new Promise((resolve) => setTimeout(resolve, 8_000))
    expect(tom.messages.some((m) => m.type === 'present-ended')).toBe(false)
    const last = tom.messages.filter((m) => m.type === 'participants').at(-1)
    expect(last?.type === 'participants' && last.participants.some((p) => p.name === 'Fran')).toBe(true)

    // Ended while Redis is away: B hears of it once Redis is back.
    fran.send({ type: 'present', on: false })
    await cluster.redis().restart()
    await until(async () => (await health(a)) === 'ok' && (await health(b)) === 'ok', 'both instances to say ok')
    await tom.next('present-ended', (m) => m.leader === fran.userId)
    for (const client of [fran, tom]) client.close()
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

