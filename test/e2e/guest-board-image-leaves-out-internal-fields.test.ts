/**
 * A guest's board image shows what the guest's canvas shows (QA pass of 2026-12-06, [A36]): tldraw
 * renders an export outside the canvas's providers, so a guest's PNG/SVG of the shared stakeholder
 * map showed every card with its internal fields at their stand-ins ("Role not assessed · Medium
 * influence · Neutral · Owner not assigned"), as if they were our read, on the live board and in a
 * snapshot's review alike. The team's image keeps them.
 */
import fs from 'node:fs'
import type { JsonObject } from '@tldraw/utils'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { takeSnapshot, type TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing, teamPage } from '../helpers/teamAndGuest.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let team: Awaited<ReturnType<typeof teamPage>>
const json = (value: unknown) => value as JsonObject // test records are JSON

/** Words that only the internal fields of a stakeholder card put on it (values or stand-ins). */
const INTERNAL_WORDS = ['influence', 'Champion', 'Neutral', 'Economic buyer', 'not assessed', 'Owner', 'Tom Team']

async function svgOf(page: Page): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.getByRole('button', { name: 'Export board as SVG' }).click()])
  return fs.readFileSync(await download.path()).toString('utf8')
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  team = await teamPage(e2e.server, workshop, 'stakeholders', 'Tom')
  await team.change([
    json(stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva', jobTitle: 'COO', buyingRole: 'economic_buyer', influence: 'high', attitude: 'champion', owner: 'Tom Team' })),
    json(stakeholder('shape:ben', { x: 400, y: 0 }, { name: 'Ben Okafor', jobTitle: 'CFO' })),
  ])
})

afterAll(() => team?.destroy())

it("leaves the internal fields out of a guest's image of the live board and of a snapshot, and keeps them in the team's", async () => {
  const [carla] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Fran Facilitator'])
  if (!carla || !fran) throw new Error('openPeople returned no page')
  await Promise.all([waitForBoard(carla.page), waitForBoard(fran.page)])
  await shapeWithText(carla.page, 'stakeholder', 'Ben Okafor').waitFor({ timeout: WAIT_MS })
  await shapeWithText(fran.page, 'stakeholder', 'Ben Okafor').waitFor({ timeout: WAIT_MS })

  const teams = await svgOf(fran.page)
  for (const word of ['Ana Silva', 'COO', 'High influence', 'Champion', 'Economic buyer', 'Tom Team', 'Attitude not assessed']) expect(teams).toContain(word)

  const guests = await svgOf(carla.page)
  for (const word of ['Ana Silva', 'COO', 'Ben Okafor', 'CFO']) expect(guests).toContain(word)
  for (const word of INTERNAL_WORDS) expect(guests, word).not.toContain(word)

  // A snapshot's board in the guest's review: the same.
  await takeSnapshot(e2e.server, workshop.id, 'Joint session')
  await carla.page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots`)
  await carla.page.getByRole('region', { name: /Stakeholder map/ }).locator('.tl-shape[data-shape-type="stakeholder"]', { hasText: 'Ben Okafor' }).waitFor({ timeout: WAIT_MS })
  const snapshotGuests = await svgOf(carla.page)
  expect(snapshotGuests).toContain('Ana Silva')
  for (const word of INTERNAL_WORDS) expect(snapshotGuests, word).not.toContain(word)
})
