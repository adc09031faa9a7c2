/**
 * Issue 13 in Chromium: where the facilitator made a card field internal, the guest's card does not
 * show the default the guest's page holds in its place as if it were our answer. A hidden title or
 * name says it is not shared (not "Untitled action" or "Unnamed stakeholder", which invite the
 * customer to fill in what the team wrote); a hidden status, owner, due date, cell kind or
 * competitor position, objective KPI kind, status or target date is left off (not "Open", "No
 * owner", "Present", "Open opportunity", "On track" or "Past target date").
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import type { BoardId } from '../../shared/boards.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { action, competitor, objective, stakeholder, whitespaceCell } from '../helpers/planBoards.ts'
import { putAsFacilitator, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let guest: Page

const put = (path: string, body: unknown) => putAsFacilitator(e2e.server, workshop, path, body)

/** The guest's page on `board`, once its card `type` is drawn; the card's text on one line. */
async function guestCard(board: BoardId, type: string): Promise<string> {
  await guest.goto(`${e2e.server.url}/w/${workshop.id}/${board}`)
  await waitForBoard(guest)
  const card = guest.locator(`.tl-shape[data-shape-type="${type}"]`).first()
  await card.waitFor({ timeout: WAIT_MS })
  return (await card.innerText()).replace(/\s+/g, ' ').trim()
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint session' })
  await put('settings', { customerFacing: { swot: false, stakeholders: true, objectives: true, actions: true, whitespace: true } })
  const seed = async (board: BoardId, records: Parameters<Awaited<ReturnType<typeof openBoard>>['write']>[0]) => {
    const client = await openBoard(e2e.server, workshop.id, board, 'Seeder')
    await client.write(records)
    client.destroy()
  }
  await seed('stakeholders', [stakeholder('shape:anna', { x: 100, y: 100 }, { name: 'Anna Hidden', jobTitle: 'Chief Financial Officer' })])
  await seed('actions', [action('shape:renew', { x: 2000, y: 2000 }, { title: 'Renew the frame contract', owner: 'Tina', due: '2027-03-31', status: 'in_progress' })])
  // Past its date and off track: neither may show, nor "past target date" read off the guest's defaults.
  await seed('objectives', [objective('shape:grow', { x: 100, y: 100 }, { objective: 'Grow parcels', measure: 'Renewals', kpiType: 'retention', targetDate: '2020-01-31', status: 'off_track' })])
  await seed('whitespace', [
    whitespaceCell('shape:cell', { x: 2000, y: 2000 }, { kind: 'we_supply', row: 'Retail', column: 'Parcels' }),
    competitor('shape:rival', { x: 2400, y: 2000 }, { name: 'Rival Freight', position: 'incumbent', strengths: 'Price' }),
  ])
  // Made internal once the cards hold their values: the server moves them out of what guests read.
  await put('sensitivity', {
    fields: {
      'stakeholder.name': 'internal',
      'action.title': 'internal',
      'action.owner': 'internal',
      'action.due': 'internal',
      'action.status': 'internal',
      'whitespace.kind': 'internal',
      'competitor.name': 'internal',
      'competitor.position': 'internal',
      'objective.kpiType': 'internal',
      'objective.targetDate': 'internal',
      'objective.status': 'internal',
    },
  })
  const [person] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  if (!person) throw new Error('no guest page')
  guest = person.page
  await waitForBoard(guest)
})

describe('a guest’s cards with fields the facilitator made internal', () => {
  it('stakeholder: a hidden name says it is not shared; the visible job title shows', async () => {
    const text = await guestCard('stakeholders', 'stakeholder')
    expect(text).toContain('Chief Financial Officer')
    expect(text).toContain('Name not shared')
    expect(text).not.toContain('Unnamed stakeholder')
    expect(text).not.toContain('Anna')
  })

  it('action: a hidden title says so; no status, owner or due date stands in for ours', async () => {
    const text = await guestCard('actions', 'action')
    expect(text).toContain('Title not shared')
    for (const standIn of ['Untitled action', 'Open', 'No owner', 'Due', 'Renew', 'Tina', 'In progress']) expect(text).not.toContain(standIn)
  })

  it('objective: no KPI kind, status or target date stands in, and it is not shown as past its date', async () => {
    const text = await guestCard('objectives', 'objective')
    expect(text).toContain('Grow parcels')
    expect(text).toContain('Renewals')
    for (const standIn of ['Revenue growth', 'Retention', 'On track', 'Off track', 'By', '2020', 'Past target date']) expect(text).not.toContain(standIn)
    expect(await guest.locator('.tl-shape[data-shape-type="objective"] [data-overdue="true"]').count()).toBe(0)
  })

  it('whitespace: no cell kind or competitor position stands in; a hidden competitor name says so', async () => {
    const cell = await guestCard('whitespace', 'whitespace')
    expect(cell).toContain('Retail × Parcels')
    for (const standIn of ['Open opportunity', 'We supply', 'Value?']) expect(cell).not.toContain(standIn)
    const rival = (await shapeWithText(guest, 'competitor', 'Price').innerText()).replace(/\s+/g, ' ')
    expect(rival).toContain('Name not shared')
    for (const standIn of ['Unnamed competitor', 'Present', 'Incumbent', 'Rival']) expect(rival).not.toContain(standIn)
  })
})
