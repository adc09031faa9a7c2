/**
 * A guest's page and the live plan health (docs/security.md [A22]): a guest never gets it (the
 * server answers 403), so the guest's page does not ask, instead of being refused every 2 s for the
 * whole session (each refusal a console error).
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let guest: Page
/** The status of every health request the guest's page made, in order. */
const asked: number[] = []

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint planning session' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  guest = await context.newPage()
  guest.on('response', (response) => {
    if (new URL(response.url()).pathname === `/api/workshops/${workshop.id}/health`) asked.push(response.status())
  })
  const link = new URL(workshop.links.guest)
  link.searchParams.set('name', 'Carla Customer')
  await guest.goto(link.toString())
  await waitForBoard(guest)
})

describe('a guest page and the plan health it may not see', () => {
  it('never asks for it, rather than be refused every 2 s', async () => {
    // Three of the page's 2 s polling periods after the board is up: without the change, 403s.
    await guest.waitForTimeout(6_500)
    expect(asked).toEqual([])
  })
})
