import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { Config } from '../../server/env.ts'
import type { BoardId } from '../../shared/boards.ts'
import { closeContexts, openPeople, sharedBrowser, waitForBoard, type Person } from './browser.ts'
import { ensureClientBuilt } from './buildClient.ts'
import { startServer, type TestServer, type TestWorkshop } from './startServer.ts'
import { onlyCustomerFacing } from './teamAndGuest.ts'

/** What every browser test file runs against: the real server and a real Chromium. */
export interface BrowserTest {
  server: TestServer
  browser: Browser
}

/**
 * Registers the `beforeAll` and `afterAll` hooks of a browser test file: builds the client (once
 * per run), starts the real server on port 0 (`config` overrides its test configuration) and
 * takes the worker's Chromium ({@link sharedBrowser}), then closes the server and every browser
 * context after the file. Call it at the top level of the file,
 * before its own hooks (vitest runs `beforeAll` hooks in the order they were registered, so the
 * file's own hooks can use the server).
 *
 * The returned object is filled in by the hook: read its fields inside hooks and tests, not at
 * the top level.
 *
 * @example
 * const test = setUpBrowserTest()
 * beforeAll(async () => {
 *   workshop = await test.server.createWorkshop({ account: 'Contoso', title: 'Plan' })
 * })
 */
export function setUpBrowserTest(config: Partial<Config> = {}): BrowserTest {
  const fixture = {} as BrowserTest // filled in by beforeAll, before any test reads it
  beforeAll(async () => {
    await ensureClientBuilt()
    fixture.server = await startServer(config)
    fixture.browser = await sharedBrowser()
  })
  afterAll(async () => {
    if (fixture.browser) await closeContexts(fixture.browser)
    await fixture.server?.close()
  })
  return fixture
}

/** Two people on one board of a new workshop, both pages connected with the canvas ready. */
export interface TwoPeopleOnBoard extends BrowserTest {
  workshop: TestWorkshop
  /** The board's address without a token or name, as typed into the address bar. */
  boardUrl: string
  /** Alice Archer. */
  alice: Person
  /** Bob Baker. */
  bob: Person
}

/**
 * Like {@link setUpBrowserTest}, and then creates a workshop and opens `board` for Alice Archer
 * and Bob Baker, each in their own browser context with the facilitator's token (see
 * `openPeople`), and waits until both pages show the board connected.
 *
 * @example
 * const two = setUpTwoPeopleOnBoard('swot')
 * it('shows A’s note on B’s page', async () => {
 *   const { alice, bob } = two
 * })
 */
export function setUpTwoPeopleOnBoard(board: BoardId): TwoPeopleOnBoard {
  const fixture = setUpBrowserTest() as TwoPeopleOnBoard // the rest is filled in by beforeAll below
  beforeAll(async () => {
    fixture.workshop = await fixture.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
    fixture.boardUrl = `${fixture.server.url}/w/${fixture.workshop.id}/${board}`
    const [alice, bob] = await openPeople(fixture.browser, fixture.boardUrl, ['Alice Archer', 'Bob Baker'])
    if (!alice || !bob) throw new Error('openPeople returned fewer people than names')
    fixture.alice = alice
    fixture.bob = bob
    await Promise.all([waitForBoard(alice.page), waitForBoard(bob.page)])
  })
  return fixture
}

/** A customer guest and a team member on one board of a new workshop, the only customer-facing one. */
export interface GuestAndTeamOnBoard extends BrowserTest {
  workshop: TestWorkshop
  /** Carla Customer, through the guest invite link. */
  guest: Page
  /** Tina Team, with the facilitator's token. */
  team: Page
}

/**
 * Like {@link setUpTwoPeopleOnBoard} for a joint session: makes `board` the workshop's only
 * customer-facing board and opens it for Carla Customer (guest link) and Tina Team, each in their
 * own browser context, and waits until both pages show the board connected.
 */
export function setUpGuestAndTeamOnBoard(board: BoardId): GuestAndTeamOnBoard {
  const fixture = setUpBrowserTest() as GuestAndTeamOnBoard // the rest is filled in by beforeAll below
  beforeAll(async () => {
    fixture.workshop = await fixture.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
    await onlyCustomerFacing(fixture.server, fixture.workshop, board)
    const [guest] = await openPeople(fixture.browser, fixture.workshop.links.guest, ['Carla Customer'])
    const [team] = await openPeople(fixture.browser, `${fixture.server.url}/w/${fixture.workshop.id}/${board}`, ['Tina Team'])
    if (!guest || !team) throw new Error('openPeople returned fewer people than names')
    fixture.guest = guest.page
    fixture.team = team.page
    await Promise.all([waitForBoard(fixture.guest), waitForBoard(fixture.team)])
  })
  return fixture
}

export interface FacilitatorAndColleague extends BrowserTest {
  workshop: TestWorkshop
  /** Fran Facilitator, on the SWOT. */
  fran: Person
  /** Tom Team, with a team link, on the action plan: a colleague on another board. */
  tom: Person
}

/**
 * A workshop ("Northwind", "FY27 account plan") open for the facilitator on the SWOT and for a
 * team member on the action plan, each in their own browser context; waits until both pages show
 * their board connected. For what the facilitator's Share panel does to a colleague's open page.
 */
export function setUpFacilitatorAndColleague(): FacilitatorAndColleague {
  const fixture = setUpBrowserTest() as FacilitatorAndColleague // the rest is filled in by beforeAll below
  beforeAll(async () => {
    fixture.workshop = await fixture.server.createWorkshop({ account: 'Northwind', title: 'FY27 account plan' })
    const [fran] = await openPeople(fixture.browser, `${fixture.server.url}/w/${fixture.workshop.id}/swot`, ['Fran Facilitator'])
    const [tom] = await openPeople(fixture.browser, `${fixture.server.url}/w/${fixture.workshop.id}/actions?token=${fixture.workshop.tokens.team}`, ['Tom Team'])
    if (!fran || !tom) throw new Error('openPeople returned fewer people than names')
    fixture.fran = fran
    fixture.tom = tom
    await Promise.all([waitForBoard(fran.page), waitForBoard(tom.page)])
  })
  return fixture
}
