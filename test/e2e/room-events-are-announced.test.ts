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

it("says a vote starting and closing, the timer running out and a summons in the page's live region", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}&name=Tom`)
  await waitForBoard(page)
  const region = page.getByTestId('room-announcer')
  expect(await region.getAttribute('aria-live')).toBe('polite')
  const said = (text: string) => expect.poll(async () => (await region.textContent()) ?? '', { timeout: WAIT_MS }).toContain(text)

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
