/**
 * Issue 13, docs/server-rules.md [C11]: a change of field sensitivities reaches an open team page
 * at once (room control), and the page's next write of that field goes to the document the new
 * sensitivity says: no refused change (4422) and reload, and no value in the wrong document.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { JsonObject } from '@tldraw/utils'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import type { SensitivityOverrides } from '../../shared/sensitivity.ts'
import { clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let team: Page
/** Every sync websocket the team's page opened: a refused change reloads the board on new ones. */
const syncSockets: string[] = []

const room = () => `${workshop.id}/stakeholders`

/** Maria's card as the server's shared document holds it. */
function sharedCard(): JsonObject | undefined {
  const doc = e2e.server.server.rooms.get(room())?.doc
  return doc ? readRecords(doc).get('shape:maria') : undefined
}

/** Maria's overlay (internal fields) as the server's internal document holds it. */
function overlay(): ReadonlyMap<string, unknown> | undefined {
  const doc = e2e.server.server.rooms.get(`${room()}/internal`)?.doc
  return doc ? readOverlays(doc).get('shape:maria') : undefined
}

const propsOf = (record: JsonObject | undefined) => record?.props as Record<string, unknown> | undefined // card records have props

async function setSensitivity(fields: SensitivityOverrides): Promise<void> {
  const response = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })
  expect(response.status).toBe(200)
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Account plan' })
  const board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Seeder')
  await board.write([stakeholder('shape:maria', { x: 100, y: 100 }, { name: 'Maria Chen', jobTitle: 'Head of Operations' })])
  board.destroy()
  // The team's invite link, opened on the stakeholder map.
  const link = new URL(workshop.links.team)
  link.pathname = `/w/${workshop.id}/stakeholders`
  const [person] = await openPeople(e2e.browser, link.toString(), ['Tina Team'])
  if (!person) throw new Error('no page')
  team = person.page
  team.on('websocket', (socket) => {
    if (new URL(socket.url()).pathname.startsWith('/sync/')) syncSockets.push(socket.url())
  })
  await waitForBoard(team)
  await clickShape(team, shapeWithText(team, 'stakeholder', 'Maria Chen'))
  await sidePanel(team).getByLabel('Name', { exact: true }).waitFor({ timeout: WAIT_MS })
})

describe('a team page open while the facilitator changes which fields are internal', () => {
  it('writes a field just made internal into the internal document, without a refusal [A31][C11]', async () => {
    const sockets = syncSockets.length
    await setSensitivity({ 'stakeholder.jobTitle': 'internal' })
    // The page learnt it: the field's label carries the lock (and so its name).
    const jobTitle = sidePanel(team).getByRole('textbox', { name: /^Job title Internal — not shown to the customer/ })
    await jobTitle.waitFor({ timeout: WAIT_MS })
    await jobTitle.fill('VP Operations')
    await waitUntil(async () => overlay()?.get('props.jobTitle') === 'VP Operations', 'the internal document holds the new job title')
    expect(propsOf(sharedCard())?.jobTitle).toBe('')
    expect(await team.locator('.board-notice').count()).toBe(0)
    expect(syncSockets.length).toBe(sockets)
    await shapeWithText(team, 'stakeholder', 'VP Operations').waitFor({ timeout: WAIT_MS })
  })

  it('writes a field just made customer-visible into the shared document [A35][C11]', async () => {
    const sockets = syncSockets.length
    await setSensitivity({ 'stakeholder.jobTitle': 'internal', 'stakeholder.attitude': 'visible' })
    // No lock on the label any more: its name is the label alone.
    const attitude = sidePanel(team).getByRole('combobox', { name: 'Attitude to us', exact: true })
    await attitude.waitFor({ timeout: WAIT_MS })
    await attitude.selectOption({ label: 'Champion' })
    await waitUntil(async () => propsOf(sharedCard())?.attitude === 'champion', 'the shared document holds the new attitude')
    expect(overlay()?.get('props.attitude')).toBeUndefined()
    expect(await team.locator('.board-notice').count()).toBe(0)
    expect(syncSockets.length).toBe(sockets)
    // The job title made internal before stays where it was.
    expect(overlay()?.get('props.jobTitle')).toBe('VP Operations')
  })
})
