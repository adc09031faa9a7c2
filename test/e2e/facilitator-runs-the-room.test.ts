/**
 * The facilitator runs the room, with three people in Chromium (docs/server-rules.md [C3]–[C6]):
 * who is on which board (and what a guest sees of it), following across boards, a guest following
 * someone who is on (or moves on to) an internal board, "Bring everyone here", a board shared with
 * guests showing up at once, the timer after a reload, and its signal at zero.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, waitForFollowing, waitUntil, WAIT_MS, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openControl } from '../helpers/controlClient.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop
let fran: Person
let tom: Person
let gina: Person

const boardUrl = (board: string, token?: string) => `${test.server.url}/w/${workshop.id}/${board}${token ? `?token=${token}` : ''}`

async function waitForPath(page: Page, board: string): Promise<void> {
  await page.waitForURL((url) => url.pathname.endsWith(`/${board}`), { timeout: WAIT_MS })
  await waitForBoard(page)
}

function participant(page: Page, name: string) {
  return sidePanel(page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: name })
}

async function switchBoard(page: Page, title: string, board: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: title }).click()
  await waitForPath(page, board)
}

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const open = async (url: string, name: string) => {
    const [person] = await openPeople(test.browser, url, [name])
    if (!person) throw new Error('openPeople returned nobody')
    return person
  }
  fran = await open(boardUrl('swot'), 'Fran Facilitator')
  tom = await open(boardUrl('actions', workshop.tokens.team), 'Tom Team')
  gina = await open(boardUrl('actions', workshop.tokens.guest), 'Gina Guest')
  await Promise.all([fran, tom, gina].map((p) => waitForBoard(p.page)))
})

describe('who is on which board', () => {
  it('lists everyone with their board; the guest sees the facilitator only as on an internal board', async () => {
    await participant(fran.page, 'Tom Team').filter({ hasText: 'on Action plan' }).waitFor({ timeout: WAIT_MS })
    await participant(fran.page, 'Gina Guest').filter({ hasText: 'guest' }).waitFor({ timeout: WAIT_MS })
    await participant(gina.page, 'Fran Facilitator').filter({ hasText: 'on an internal board' }).waitFor({ timeout: WAIT_MS })
    expect(await sidePanel(gina.page).textContent()).not.toContain('SWOT')
  })
})

describe('following across boards', () => {
  it('takes the follower to the followed person’s board, and on to the next one', async () => {
    await sidePanel(tom.page).getByRole('button', { name: 'Follow Fran Facilitator' }).click()
    await waitForPath(tom.page, 'swot')
    await switchBoard(fran.page, 'Stakeholder map', 'stakeholders')
    await waitForPath(tom.page, 'stakeholders')
    await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
    await waitForFollowing(tom.page)
    await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).click()
  })

  it('keeps a guest where they are when the followed person is on an internal board, and says so', async () => {
    await sidePanel(gina.page).getByRole('button', { name: 'Follow Fran Facilitator' }).click()
    await sidePanel(gina.page).getByText('on a board you cannot see').waitFor({ timeout: WAIT_MS })
    expect(new URL(gina.page.url()).pathname).toMatch(/\/actions$/)
    await sidePanel(gina.page).getByRole('button', { name: 'Stop following' }).click()
  })
})

describe('bring everyone here', () => {
  it('brings every page to the facilitator’s board, following them', async () => {
    await switchBoard(tom.page, 'SWOT', 'swot')
    await switchBoard(fran.page, 'Action plan', 'actions')
    await sidePanel(fran.page).getByRole('button', { name: /Bring everyone/ }).click()
    await waitForPath(tom.page, 'actions')
    for (const person of [tom, gina]) {
      await sidePanel(person.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
      await waitForFollowing(person.page)
    }
    expect(new URL(gina.page.url()).pathname).toMatch(/\/actions$/)
  })

  it('takes the followers on to the next board, except a guest when it is internal: they stay, are told, and follow again on the way back', async () => {
    await switchBoard(fran.page, 'SWOT', 'swot')
    await waitForPath(tom.page, 'swot')
    await sidePanel(gina.page).getByText('on a board you cannot see').waitFor({ timeout: WAIT_MS })
    expect(new URL(gina.page.url()).pathname).toMatch(/\/actions$/)
    expect(await gina.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'SWOT' }).count()).toBe(0)
    // Still following: when the facilitator comes back to a board the guest may see, so does the view.
    await sidePanel(gina.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
    await switchBoard(fran.page, 'Action plan', 'actions')
    await waitForPath(tom.page, 'actions')
    await sidePanel(gina.page).getByText('on a board you cannot see').waitFor({ state: 'detached', timeout: WAIT_MS })
    await waitForFollowing(gina.page)
    // Away and straight back, within the 1.5 s a follower gives a leader to reappear: still
    // following (it used to end the guest's following, as if the guest had stopped).
    await switchBoard(fran.page, 'SWOT', 'swot')
    await switchBoard(fran.page, 'Action plan', 'actions')
    await waitForPath(tom.page, 'actions')
    await gina.page.waitForTimeout(2_500) // past the grace: a settle, not a timing assertion
    await waitForFollowing(gina.page)
    for (const person of [tom, gina]) await sidePanel(person.page).getByRole('button', { name: 'Stop following' }).click()
  })
})

describe('board access pushed', () => {
  it('shows a board newly shared with guests in the guest’s switcher at once', async () => {
    const response = await workshopFetch(`${test.server.url}/api/workshops/${workshop.id}/settings`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ customerFacing: { swot: false, stakeholders: true, objectives: false, actions: true, whitespace: false } }),
    })
    expect(response.status).toBe(200)
    // Well under the 15 s the page used to poll at: the push, not the poll, brings it.
    await gina.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Stakeholder map' }).waitFor({ timeout: 5_000 })
  })
})

describe('timer', () => {
  it('shows the facilitator’s countdown on every board, the same after a reload, paused, extended and resumed', async () => {
    await fran.page.getByRole('button', { name: /Timer/ }).click()
    await fran.page.getByRole('button', { name: 'Start 5 min' }).click()
    const tomTimer = tom.page.getByRole('timer')
    await tomTimer.waitFor({ timeout: WAIT_MS })
    expect(await tomTimer.textContent()).toMatch(/^[45]:\d\d/)
    await tom.page.reload()
    await waitForBoard(tom.page)
    await tom.page.getByRole('timer').waitFor({ timeout: WAIT_MS })
    expect(await tom.page.getByRole('timer').textContent()).toMatch(/^(4:\d\d|5:00)/)
    // Paused, the time left stands still; a minute more is added to it.
    await fran.page.getByRole('button', { name: 'Pause' }).click()
    await tom.page.getByRole('timer').filter({ hasText: '(paused)' }).waitFor({ timeout: WAIT_MS })
    // The pressed button turns into Resume and keeps the focus (it dropped to the page).
    const resume = fran.page.getByRole('button', { name: 'Resume' })
    await waitUntil(() => resume.evaluate((element) => element === document.activeElement), 'the focus on Resume')
    const paused = (await tom.page.getByRole('timer').textContent()) ?? ''
    const [minutes, seconds] = paused.split(' ')[0]?.split(':') ?? []
    await fran.page.getByRole('button', { name: '+1 min' }).click()
    // The same seconds, a minute more (paused within its first second, 5:00 becomes 6:00).
    await tom.page.getByRole('timer').filter({ hasText: `${Number(minutes) + 1}:${seconds} (paused)` }).waitFor({ timeout: WAIT_MS })
    await fran.page.getByRole('button', { name: 'Resume' }).click()
    await tom.page.getByRole('timer').filter({ hasNotText: 'paused' }).waitFor({ timeout: WAIT_MS })
    await fran.page.getByRole('button', { name: 'Stop timer' }).click()
    await tom.page.getByRole('timer').waitFor({ state: 'detached', timeout: WAIT_MS })
    const firstPreset = fran.page.getByRole('button', { name: 'Start 1 min' })
    await waitUntil(() => firstPreset.evaluate((element) => element === document.activeElement), 'the focus on the first preset once stopped')
  })

  it('signals gently at zero on every page: "Time’s up", and one chime where the countdown was seen and not muted', async () => {
    // The facilitator's presets are whole minutes; the server takes any length from 1 s, so a
    // second control connection of the facilitator starts a short one.
    const control = await openControl(test.server, workshop.id, workshop.tokens.facilitator, 'Fran Facilitator')
    // Tom mutes the sound on his own page (kept in this browser, so it holds after the reload below).
    control.send({ type: 'timer', command: { action: 'start', durationMs: 600_000 } })
    const mute = (page: Page) => page.getByRole('group', { name: 'Timer' }).getByRole('button', { name: 'Mute timer sound' })
    // The bell is drawn (no emoji: some machines have no font for it), struck through once muted.
    expect(await mute(tom.page).innerText()).toBe('')
    expect(await mute(tom.page).locator('svg path').count()).toBe(2)
    await mute(tom.page).click()
    await mute(tom.page).and(tom.page.locator('[aria-pressed="true"]')).waitFor({ timeout: WAIT_MS })
    expect(await mute(tom.page).locator('svg path').count()).toBe(3)
    // Counts the chimes (client/control/TimerControl.tsx plays each through a new AudioContext).
    for (const person of [fran, tom, gina]) {
      await person.context.addInitScript(() => {
        const Original = window.AudioContext
        const counted = window as unknown as { chimes: number }
        counted.chimes = 0
        window.AudioContext = function (this: unknown, options?: AudioContextOptions) {
          counted.chimes += 1
          return new Original(options)
        } as unknown as typeof AudioContext // a counting stand-in with the constructor's signature
      })
      await person.page.reload()
      await waitForBoard(person.page)
    }
    expect(await mute(tom.page).getAttribute('aria-pressed'), 'the mute survives the reload').toBe('true')
    expect(await mute(gina.page).getAttribute('aria-pressed'), 'another page is not muted').toBe('false')
    control.send({ type: 'timer', command: { action: 'start', durationMs: 3_000 } })
    for (const person of [fran, gina]) {
      await person.page.getByRole('timer').filter({ hasText: 'Time’s up' }).waitFor({ timeout: WAIT_MS })
      await person.page.waitForFunction(() => (window as unknown as { chimes: number }).chimes === 1, undefined, { timeout: WAIT_MS })
    }
    await tom.page.getByRole('timer').filter({ hasText: 'Time’s up' }).waitFor({ timeout: WAIT_MS })
    control.send({ type: 'timer', command: { action: 'stop' } })
    for (const person of [fran, tom, gina]) await person.page.getByRole('timer').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await tom.page.evaluate(() => (window as unknown as { chimes: number }).chimes), 'muted: no chime').toBe(0)
    expect(await gina.page.evaluate(() => (window as unknown as { chimes: number }).chimes)).toBe(1)
    expect(await fran.page.evaluate(() => (window as unknown as { chimes: number }).chimes)).toBe(1)
    control.close()
  })
})
