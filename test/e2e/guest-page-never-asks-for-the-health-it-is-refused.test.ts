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

  it('a team page whose link is revoked stops asking after the first refusal (QA pass of 2026-12-06: every 2 s, for good)', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
    const team = await context.newPage()
    const teamAsked: number[] = []
    team.on('response', (response) => {
      if (new URL(response.url()).pathname === `/api/workshops/${workshop.id}/health`) teamAsked.push(response.status())
    })
    const link = new URL(workshop.links.team)
    link.searchParams.set('name', 'Tina Team')
    await team.goto(link.toString())
    await waitForBoard(team)
    await expect.poll(() => teamAsked.includes(200), { timeout: WAIT_MS }).toBe(true)
    const revoked = await fetch(`${e2e.server.url}/api/workshops/${workshop.id}/links/revoke`, {
      method: 'POST',
      headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'team' }),
    })
    expect(revoked.status).toBe(200)
    await expect.poll(() => teamAsked.includes(401), { timeout: WAIT_MS }).toBe(true)
    // Three more polling periods: no second refusal.
    await team.waitForTimeout(6_500)
    expect(teamAsked.filter((status) => status === 401)).toHaveLength(1)
    await context.close()
  })
})
