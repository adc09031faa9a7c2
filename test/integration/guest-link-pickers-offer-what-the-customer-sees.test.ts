/**
 * [A42] The side panel's link pickers ("Serves objectives" on an action, "Answers" on an
 * objective) for a guest: `GET /api/workshops/:id/link-targets` offers the objectives and the SWOT's
 * weaknesses and threats as the customer may see them, read off the live boards: only boards
 * shared with the customer, no internal item, a withheld title named as such. The team's "View
 * as customer" (`?view=customer`) gets the very same answer; the team's own answer has everything.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Role } from '../../shared/roles.ts'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { LinkTargetsSchema } from '../../shared/snapshotApi.ts'
import { ACTION_COLUMNS, SWOT_FRAMES } from '../../shared/templates.ts'
import { setSensitivity } from '../helpers/boardPartsOnServer.ts'
import { action, note, objective } from '../helpers/planBoards.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'
import { teamPage } from '../helpers/teamAndGuest.ts'

const CANARY = 'CANARY-l1nks'
const json = (value: unknown) => value as JsonObject // test records are JSON
const internal = { [INTERNAL_META_KEY]: true }

let server: TestServer
let workshop: TestWorkshop
const pages: Awaited<ReturnType<typeof teamPage>>[] = []
const objectivesPage = () => pages[0] as Awaited<ReturnType<typeof teamPage>> // set in beforeAll

const links = async (role: Role, query = '') => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/link-targets${query}`, { headers: { authorization: `Bearer ${workshop.tokens[role]}` } })
  const text = await response.text()
  return { status: response.status, text, body: response.status === 200 ? LinkTargetsSchema.parse(JSON.parse(text)) : (JSON.parse(text) as unknown) }
}

/** The answer without its time, to compare two answers. */
const targets = async (role: Role, query = '') => {
  const { status, text, body } = await links(role, query)
  expect(status, text).toBe(200)
  const { computedAt: _, ...rest } = LinkTargetsSchema.parse(body)
  return { text, ...rest }
}

const share = async (customerFacing: Record<string, boolean>) => {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: true, stakeholders: false, objectives: true, actions: true, whitespace: false, ...customerFacing } }),
  })
  expect(response.status).toBe(200)
}

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop()
  await share({})
  const objectives = await teamPage(server, workshop, 'objectives', 'Tom')
  const actions = await teamPage(server, workshop, 'actions', 'Tom')
  const swot = await teamPage(server, workshop, 'swot', 'Tom')
  pages.push(objectives, actions, swot)
  await objectives.change([
    json(objective('shape:o-shared', { x: 0, y: 0 }, { objective: 'Raise NPS', addresses: ['shape:w-shared', 'shape:w-secret'] })),
    json(objective('shape:o-secret', { x: 400, y: 0, meta: internal }, { objective: `${CANARY} objective` })),
  ])
  await actions.change([
    json(action('shape:a-shared', { x: 20, y: 20, parentId: ACTION_COLUMNS.open.id }, { title: 'Pilot with Ops', objectives: ['shape:o-shared', 'shape:o-secret'] })),
    json(action('shape:a-secret', { x: 20, y: 200, parentId: ACTION_COLUMNS.open.id, meta: internal }, { title: `${CANARY} action`, objectives: ['shape:o-shared'] })),
  ])
  await swot.change([
    json(note('shape:w-shared', { x: 40, y: 80, parentId: SWOT_FRAMES.weaknesses.id }, 'Slow onboarding')),
    json(note('shape:w-secret', { x: 300, y: 80, parentId: SWOT_FRAMES.weaknesses.id, meta: internal }, `${CANARY} weakness`)),
  ])
})

afterAll(async () => {
  for (const page of pages) page.destroy()
  await server?.close()
})

describe('GET /api/workshops/:id/link-targets', () => {
  test('a guest gets the objectives, their actions and the risks it may see, nothing internal', async () => {
    const guest = await targets('guest')
    expect(guest.text).not.toContain(CANARY)
    expect(guest.objectives).toEqual([{ id: 'shape:o-shared', title: 'Raise NPS', actions: [{ id: 'shape:a-shared', title: 'Pilot with Ops' }] }])
    expect(guest.risks).toEqual([{ id: 'shape:w-shared', text: 'Slow onboarding', quadrant: 'weaknesses' }])
  })

  test('"View as customer" gets what the guest gets; the team itself gets everything', async () => {
    const { text: _, ...guest } = await targets('guest')
    const { text: __, ...preview } = await targets('team', '?view=customer')
    expect(preview).toEqual(guest)
    const team = await targets('team')
    expect(team.objectives.map((o) => o.id).toSorted()).toEqual(['shape:o-secret', 'shape:o-shared'])
    expect(team.risks.map((r) => r.id).toSorted()).toEqual(['shape:w-secret', 'shape:w-shared'])
    // A guest asking for the team's view still gets the customer's.
    expect((await targets('guest', '?view=team')).text).not.toContain(CANARY)
  })

  test('a withheld title is named as such', async () => {
    await setSensitivity(server, workshop, { 'objective.objective': 'internal' })
    expect((await targets('guest')).objectives).toEqual([{ id: 'shape:o-shared', title: 'Objective not shared', actions: [{ id: 'shape:a-shared', title: 'Pilot with Ops' }] }])
    await setSensitivity(server, workshop, {})
  })

  test('withheld titles are told apart: by the measure or owner the customer sees, else numbered (QA q30b)', async () => {
    await objectivesPage().change([
      json(objective('shape:o-nps', { x: 0, y: 300 }, { objective: 'Lift NPS to 40', measure: 'NPS' })),
      json(objective('shape:o-cost', { x: 400, y: 300 }, { objective: 'Cut cost per drop', owner: 'Jana' })),
      json(objective('shape:o-a', { x: 0, y: 600 }, { objective: 'Grow share A' })),
      json(objective('shape:o-b', { x: 400, y: 600 }, { objective: 'Grow share B' })),
    ])
    await setSensitivity(server, workshop, { 'objective.objective': 'internal' })
    const titles = Object.fromEntries((await targets('guest')).objectives.map((o) => [o.id, o.title]))
    expect(titles).toEqual({
      'shape:o-shared': 'Objective not shared #1',
      'shape:o-nps': 'Objective not shared (NPS)',
      'shape:o-cost': 'Objective not shared (Jana)',
      'shape:o-a': 'Objective not shared #2',
      'shape:o-b': 'Objective not shared #3',
    })
    // The owner too made internal: that hint goes, numbers take its place.
    await setSensitivity(server, workshop, { 'objective.objective': 'internal', 'objective.owner': 'internal' })
    expect((await targets('guest')).text).not.toContain('Jana')
    await setSensitivity(server, workshop, {})
    await objectivesPage().change([], ['shape:o-nps', 'shape:o-cost', 'shape:o-a', 'shape:o-b'])
  })

  test('a board the customer does not get offers nothing', async () => {

    // Read once with every board shared, so a plan is cached from before each change below
    // (review of session 30: the team's preview, and a guest after sharing, read the old answer).
    expect((await targets('team', '?view=customer')).risks).toHaveLength(1)
    await share({ swot: false, actions: false })
    const guest = await targets('guest')
    expect(guest.risks).toEqual([])
    expect(guest.objectives).toEqual([{ id: 'shape:o-shared', title: 'Raise NPS', actions: [] }])
    const { text: _, ...preview } = await targets('team', '?view=customer')
    expect(preview).toEqual((({ text: __, ...rest }) => rest)(guest))
    await share({ objectives: false })
    expect((await targets('guest')).objectives).toEqual([])
    await share({})
    expect((await targets('guest')).risks).toHaveLength(1)
    expect((await targets('guest')).objectives).toHaveLength(1)
  })

  test('bad input: an unknown view, no token', async () => {
    const bad = await links('team', '?view=everything')
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({ error: { code: 'invalid_query' } })
    const anonymous = await fetch(`${server.url}/api/workshops/${workshop.id}/link-targets`)
    expect(anonymous.status).toBe(401)
  })
})
