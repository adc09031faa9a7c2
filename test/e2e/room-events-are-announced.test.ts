/**
 * QA pass q29c: a screen reader heard nothing when a vote started or closed, when the timer ran
 * out, or when the facilitator brought everyone to another board; only the connection badge spoke.
 * The workshop page now says each of them in a polite live region.
 */
import { expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openControl } from '../helpers/controlClient.ts'

const e2e = setUpBrowserTest()

/** A new workshop's SWOT open for Tom (team), and a check that its live region says a text. */
async function tomOnTheSwot() {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  const region = page.getByTestId('room-announcer')
  const said = (text: string) => expect.poll(async () => (await region.textContent()) ?? '', { timeout: WAIT_MS }).toContain(text)
  return { workshop, context, page, region, said }
}

it("says a vote starting and closing, the timer running out and a summons in the page's live region", async () => {
  const { workshop, context, region, said } = await tomOnTheSwot()
  expect(await region.getAttribute('aria-live')).toBe('polite')

  const fiona = await openControl(e2e.server, workshop.id, workshop.tokens.facilitator, 'Fiona')
  fiona.send({ type: 'presence', board: 'actions' })
  fiona.send({ type: 'vote-start', board: 'swot', question: 'Which threat first?', votesPerPerson: 2, shapeTypes: ['note'] })
  await said('Vote started: Which threat first?')
  const vote = (await fiona.next('vote', (m) => m.vote?.question === 'Which threat first?')).vote
  fiona.send({ type: 'vote-close', voteId: vote?.id ?? '' })
  await said('Vote closed: Which threat first?')
  fiona.send({ type: 'timer', command: { action: 'start', durationMs: 1_000 } })
  await said("Time's up")
  fiona.send({ type: 'summon' })
  await said('Fiona brought everyone to Action plan')
  fiona.close()
  await context.close()
})

it("says time's up when the page first hears of the timer after its end (CI: a page that rejoined the room after the end, before its own countdown fired, never said it)", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  // The test can drop the page's room-control socket as a network would.
  await page.addInitScript(() => {
    const Native = window.WebSocket
    const sockets: WebSocket[] = []
    Object.assign(window, { testSockets: sockets })
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols)
        sockets.push(this)
      }
    }
  })
  await page.clock.install()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  const region = page.getByTestId('room-announcer')
  const said = (text: string) => expect.poll(async () => (await region.textContent()) ?? '', { timeout: WAIT_MS }).toContain(text)

  const fiona = await openControl(e2e.server, workshop.id, workshop.tokens.facilitator, 'Fiona')
  const tomThere = () => fiona.messages.filter((m) => m.type === 'participants').at(-1)?.participants.some((p) => p.name === 'Tom')
  // The page is in the room before its clock stops (CI: stopped before its room's socket was open
  // or while it waited to reconnect, the page never heard the timer at all).
  await expect.poll(tomThere, { timeout: WAIT_MS }).toBe(true)
  // The page's own clock stands still: its countdown to the end does not fire (a busy or asleep page).
  await page.clock.pauseAt(Date.now() + 1_000)
  fiona.send({ type: 'timer', command: { action: 'start', durationMs: 1_000 } })
  await said('Timer started: 1 s')
  // The server's timer runs out; the page's socket drops, and it rejoins 0.5 s later on its clock
  // (its countdown would fire at 1 s) and hears the timer again.
  await new Promise((resolve) => setTimeout(resolve, 1_500))
  await page.evaluate(() => {
    const sockets = (window as unknown as { testSockets: WebSocket[] }).testSockets
    for (const socket of sockets) if (socket.url.includes('/control/') && socket.readyState === WebSocket.OPEN) socket.close(1000, 'dropped by the test')
  })
  await expect.poll(tomThere, { timeout: WAIT_MS }).toBe(false)
  for (let step = 0; step < 18 && !tomThere(); step++) {
    await page.clock.runFor(50)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  expect(tomThere()).toBe(true)
  await said("Time's up")
  fiona.close()
  await context.close()
})

it('says who joins and leaves, following someone, and being carried to their board (QA q36c)', async () => {
  const { workshop, context, page, said } = await tomOnTheSwot()
  const fiona = await openControl(e2e.server, workshop.id, workshop.tokens.facilitator, 'Fiona')
  fiona.send({ type: 'presence', board: 'swot' })
  await said('Fiona joined')
  await page.getByRole('complementary', { name: 'Board details' }).getByRole('button', { name: 'Follow Fiona' }).click()
  await said('You follow Fiona')
  fiona.send({ type: 'presence', board: 'actions' })
  await page.waitForURL((url) => url.pathname.endsWith('/actions'), { timeout: WAIT_MS })
  await said('You followed Fiona to Action plan')
  await page.getByRole('complementary', { name: 'Board details' }).getByRole('button', { name: 'Stop following' }).click()
  await said('You stopped following Fiona')
  fiona.close()
  await said('Fiona left')
  await context.close()
})
