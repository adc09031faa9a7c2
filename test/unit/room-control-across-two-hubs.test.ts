/**
 * docs/server-rules.md [C14], from the review of the several-instances change: two ControlHubs (two
 * instances) sharing one store whose every call takes a few milliseconds, and a bus that hands each
 * hub's events to the other (zod-checked as from Redis). Two votes started at once leave one open
 * vote that both pages show; a cast racing a new vote keeps its ballot in the closed one; events
 * arriving out of order do not leave a page on an older count than the store's; a presentation
 * started on one instance ends the one running on the other (QA of session 29).
 */
import { expect, test } from 'vitest'
import { ControlEventSchema, type ControlEvent } from '../../server/cluster/ControlEvents.ts'
import { ControlHub } from '../../server/control/ControlHub.ts'
import type { Store } from '../../server/store/Store.ts'
import type { TimerState } from '../../shared/control.ts'
import type { VoteRecord } from '../../shared/votes.ts'
import type { Logger } from '../../server/log.ts'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
const WORKSHOP = 'workshop0001'

function twoInstances() {
  const votes = new Map<string, VoteRecord>()
  let timer: TimerState = { status: 'idle' }
  const slow = () => sleep(2 + Math.random() * 4)
  const copy = <T>(value: T): T => structuredClone(value)
  const store = {
    async getAccess() {
      await slow()
      return { customerFacing: { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true } }
    },
    async getWorkshop() {
      await slow()
      return { id: WORKSHOP }
    },
    async listVotes() {
      await slow()
      return [...votes.values()].map(copy)
    },
    async saveVote(vote: VoteRecord) {
      await slow()
      votes.set(vote.id, copy(vote))
    },
    async replaceVote(expected: VoteRecord, next: VoteRecord) {
      await slow()
      if (JSON.stringify(votes.get(next.id)) !== JSON.stringify(expected)) return false
      votes.set(next.id, copy(next))
      return true
    },
    async getTimer() {
      await slow()
      return copy(timer)
    },
    async saveTimer(_workshopId: string, next: TimerState) {
      await slow()
      timer = copy(next)
    },
    async replaceTimer(_workshopId: string, expected: TimerState, next: TimerState) {
      await slow()
      if (JSON.stringify(timer) !== JSON.stringify(expected)) return false
      timer = copy(next)
      return true
    },
  } as unknown as Store // only what the hub uses
  const log = { info() {}, warn() {}, error() {} } as unknown as Logger
  const delays = [0, 0]
  const hubs: ControlHub[] = []
  const hub = (i: number) =>
    new ControlHub({
      store,
      log,
      cluster: {
        instance: `i${i}`,
        heartbeatMs: 60_000,
        publish(event: ControlEvent) {
          const parsed = ControlEventSchema.parse(JSON.parse(JSON.stringify(event)))
          setTimeout(() => hubs.forEach((other, j) => j !== i && other.applyRemote(`i${i}`, parsed)), delays[i])
        },
      },
      itemOf: async () => ({ type: 'note', internal: false }),
      sharedItemsOf: async (_workshopId, _board, items) => new Set(items),
    })
  hubs.push(hub(0), hub(1))
  const user = (n: number) => `user:${String(n).padStart(8, '0')}-0000-4000-8000-000000000000`
  const page = async (on: ControlHub, n: number) => {
    const messages: { type: string; vote?: { id: string; question: string; total: number } | null; message?: string; presenter?: { userId: string } | null; leader?: string }[] = []
    const admission = { ok: true, workshopId: WORKSHOP, role: 'facilitator', userId: user(n), name: `P${n}`, expiresAt: Date.now() + 3_600_000 } as unknown as Parameters<ControlHub['join']>[0] // the fields join reads
    const peer = await on.join(admission, { send: (text) => messages.push(JSON.parse(text)), close() {} })
    if (!peer) throw new Error('not joined')
    const send = (message: object) => on.receive(peer, JSON.stringify(message))
    send({ type: 'presence', board: 'actions' })
    return { send, messages, vote: () => messages.findLast((m) => m.type === 'vote' && m.vote)?.vote, userId: user(n) }
  }
  const openVotes = () => [...votes.values()].filter((vote) => !vote.closed)
  return { hubs, page, votes, openVotes, delays, timer: () => timer }
}

test('two votes started at once on two instances leave one open vote, the one both pages show', async () => {
  const { hubs, page, openVotes } = twoInstances()
  const [a, b] = [await page(hubs[0] as ControlHub, 1), await page(hubs[1] as ControlHub, 2)]
  await sleep(30)
  a.send({ type: 'vote-start', board: 'actions', question: 'A?', votesPerPerson: 1, shapeTypes: ['note'] })
  b.send({ type: 'vote-start', board: 'actions', question: 'B?', votesPerPerson: 1, shapeTypes: ['note'] })
  await sleep(300)
  expect(openVotes()).toHaveLength(1)
  const [open] = openVotes()
  const joined = await page(hubs[0] as ControlHub, 3)
  expect(joined.vote()?.id).toBe(open?.id)
  const late = await page(hubs[1] as ControlHub, 4)
  expect(late.vote()?.id).toBe(open?.id)
})

test('a cast racing a new vote on the other instance keeps its ballot in the vote it closed', async () => {
  const { hubs, page, votes } = twoInstances()
  const [a, b] = [await page(hubs[0] as ControlHub, 1), await page(hubs[1] as ControlHub, 2)]
  await sleep(30)
  a.send({ type: 'vote-start', board: 'actions', question: 'Q1', votesPerPerson: 1, shapeTypes: ['note'] })
  await sleep(150)
  const first = b.vote()
  if (!first) throw new Error('no vote on B')
  b.send({ type: 'vote-cast', voteId: first.id, item: 'shape:x', add: true })
  a.send({ type: 'vote-start', board: 'actions', question: 'Q2', votesPerPerson: 1, shapeTypes: ['note'] })
  await sleep(300)
  const refused = b.messages.some((m) => m.type === 'refused')
  expect(votes.get(first.id)?.closed).toBe(true)
  // Accepted, its ballot is kept; refused, it was never counted.
  expect(votes.get(first.id)?.ballots.length).toBe(refused ? 0 : 1)
})

test('events arriving late leave no page on an older count than the store holds', async () => {
  const { hubs, page, votes, delays } = twoInstances()
  const [a, b] = [await page(hubs[0] as ControlHub, 1), await page(hubs[1] as ControlHub, 2)]
  await sleep(30)
  a.send({ type: 'vote-start', board: 'actions', question: 'Q1', votesPerPerson: 2, shapeTypes: ['note'] })
  await sleep(150)
  const first = b.vote()
  if (!first) throw new Error('no vote on B')
  delays[0] = 100 // A's events reach B late
  a.send({ type: 'vote-cast', voteId: first.id, item: 'shape:x', add: true })
  await sleep(30)
  b.send({ type: 'vote-cast', voteId: first.id, item: 'shape:y', add: true })
  await sleep(400)
  expect(votes.get(first.id)?.ballots).toHaveLength(2)
  expect(b.vote()?.total).toBe(2)
  expect(a.vote()?.total).toBe(2)
})

test('a presentation started on one instance replaces the one running on the other, for pages joining either', async () => {
  const { hubs, page } = twoInstances()
  const [a, b] = [await page(hubs[0] as ControlHub, 1), await page(hubs[1] as ControlHub, 2)]
  await sleep(30)
  a.send({ type: 'present', on: true })
  await sleep(100)
  b.send({ type: 'present', on: true })
  await sleep(200)
  for (const hub of hubs) {
    const joined = await page(hub as ControlHub, 3)
    expect(joined.messages.find((m) => m.type === 'welcome')?.presenter?.userId).toBe(b.userId)
  }
})

test('two extensions of the timer at once on two instances both count', async () => {
  const { hubs, page, timer } = twoInstances()
  const [a, b] = [await page(hubs[0] as ControlHub, 1), await page(hubs[1] as ControlHub, 2)]
  await sleep(30)
  a.send({ type: 'timer', command: { action: 'start', durationMs: 300_000 } })
  await sleep(100)
  const started = timer()
  if (started.status !== 'running') throw new Error('the timer did not start')
  a.send({ type: 'timer', command: { action: 'extend', byMs: 60_000 } })
  b.send({ type: 'timer', command: { action: 'extend', byMs: 60_000 } })
  await sleep(300)
  expect(timer()).toMatchObject({ status: 'running', durationMs: 420_000 })
})

test('two presentations started at once on two instances: one holds on both, and its end releases everyone', async () => {
  const { hubs, page } = twoInstances()
  const [a, b] = [await page(hubs[0] as ControlHub, 1), await page(hubs[1] as ControlHub, 2)]
  const [onA, onB] = [await page(hubs[0] as ControlHub, 3), await page(hubs[1] as ControlHub, 4)]
  await sleep(30)
  a.send({ type: 'present', on: true })
  b.send({ type: 'present', on: true })
  await sleep(300)
  const presenters = await Promise.all(hubs.map(async (hub, i) => (await page(hub as ControlHub, 5 + i)).messages.find((m) => m.type === 'welcome')?.presenter?.userId))
  expect(presenters[0]).toBeDefined()
  expect(presenters[1]).toBe(presenters[0])
  // Everyone else was last summoned by the one who holds it.
  for (const follower of [onA, onB]) expect(follower.messages.findLast((m) => m.type === 'summoned')?.leader).toBe(presenters[0])
  const winner = presenters[0] === a.userId ? a : b
  winner.send({ type: 'present', on: false })
  await sleep(200)
  for (const follower of [onA, onB]) expect(follower.messages.findLast((m) => m.type === 'present-ended')?.leader).toBe(presenters[0])
})
