/**
 * A revealed dot vote, run over the real control channel, reaches every form of the plan record
 * the server hands out ([P10], docs/server-rules.md [C9]): the snapshot's JSON, its Markdown, the
 * votes CSV, the diff against the snapshot before the vote, and the published JSON Schema. A vote
 * still hidden when the snapshot is taken is in none of them.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { PlanDiffSchema } from '../../shared/planDiff.ts'
import { csvField } from '../../shared/planCsv.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { type BoardClient, openBoard } from '../helpers/boardClients.ts'
import { openControl, type ControlClient } from '../helpers/controlClient.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, workshopFetch, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop
let swot: BoardClient
let fran: ControlClient
let tom: ControlClient

const api = (path: string, init?: RequestInit) => workshopFetch(`${server.url}/api/workshops/${workshop.id}${path}`, init)

async function snapshot(): Promise<PlanRecord> {
  const response = await api('/snapshots', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  expect(response.status).toBe(201)
  return PlanRecordSchema.parse(await response.json())
}

async function onSwot(token: string, name: string): Promise<ControlClient> {
  const client = await openControl(server, workshop.id, token, name)
  client.send({ type: 'presence', board: 'swot' })
  await client.next('participants', (m) => m.participants.some((p) => p.name === name && p.where === 'swot'))
  return client
}

async function cast(client: ControlClient, voteId: string, item: string): Promise<void> {
  const before = client.messages.length
  client.send({ type: 'vote-cast', voteId, item, add: true })
  await client.next('vote', (m) => client.messages.indexOf(m) >= before && m.vote !== null)
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'FY27' })
  swot = await openBoard(server, workshop.id, 'swot')
  await swot.write([note('shape:t1', { x: 1200, y: 1000 }, 'New competitor'), note('shape:t2', { x: 1300, y: 1000 }, 'Price pressure')])
  fran = await onSwot(workshop.tokens.facilitator, 'Fran')
  tom = await onSwot(workshop.tokens.team, 'Tom')
})
afterAll(async () => {
  fran.close()
  tom.close()
  swot.destroy()
  await server.close()
})

test('a hidden vote is in no export; once revealed it is in the JSON, Markdown, CSV, diff and JSON Schema', async () => {
  const before = await snapshot()
  fran.send({ type: 'vote-start', board: 'swot', question: 'Which threats matter most?', votesPerPerson: 2, shapeTypes: ['note'] })
  const vote = (await tom.next('vote', (m) => m.vote !== null)).vote
  if (!vote) throw new Error('no vote')
  await cast(tom, vote.id, 'shape:t2')
  await cast(tom, vote.id, 'shape:t1')
  await cast(fran, vote.id, 'shape:t2')

  expect((await snapshot()).votes).toEqual([])

  fran.send({ type: 'vote-reveal', voteId: vote.id })
  await tom.next('vote', (m) => m.vote?.revealed === true)
  const after = await snapshot()
  expect(after.votes).toMatchObject([
    {
      question: 'Which threats matter most?',
      board: 'swot',
      totalVotes: 3,
      voters: 2,
      items: [
        { id: 'shape:t2', label: 'Price pressure', votes: 2 },
        { id: 'shape:t1', label: 'New competitor', votes: 1 },
      ],
    },
  ])

  const markdown = await (await api(`/snapshots/${after.id}?format=md`)).text()
  expect(markdown).toContain('### Which threats matter most?')
  expect(markdown).toContain('| 1 | Price pressure | 2 |')

  const csv = await (await api(`/snapshots/${after.id}/votes.csv`)).text()
  expect(csv.split('\r\n').slice(1, 3)).toEqual([
    // The id as a CSV cell: one starting with "-" (a random id, 1 in 64) is escaped as a formula would be.
    `${csvField(vote.id)},Which threats matter most?,SWOT,1,shape:t2,Price pressure,2`,
    `${csvField(vote.id)},Which threats matter most?,SWOT,2,shape:t1,New competitor,1`,
  ])

  const diff = PlanDiffSchema.parse(await (await api(`/snapshots/${after.id}/diff/${before.id}`)).json())
  expect(diff.votes?.added.map((v) => v.question)).toEqual(['Which threats matter most?'])

  const schema = (await (await fetch(`${server.url}/api/schema/plan.json`)).json()) as { required: string[]; properties: Record<string, unknown> }
  expect(schema.required).toContain('votes')
  expect(JSON.stringify(schema.properties.votes)).toContain('Items ranked by votes')
})
