/**
 * QA q30b: an item the team marked internal, then made visible again after the facilitator closed
 * the vote, stayed out of the customer guest's results, while her next snapshot and the team's
 * panel counted it. A closed vote's results now follow its items back onto (and off) a guest's
 * board until she dismisses them; once dismissed, they stay dismissed.
 */
import { expect, it } from 'vitest'
import { hasRecord } from '../../shared/docLayout.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, sidePanel, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { waitFor } from '../helpers/clients.ts'
import { openControl } from '../helpers/controlClient.ts'
import { note } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()

it("updates a guest's closed-vote results when an item comes back on her board, and not once she dismissed them", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint action plan' })
  const board = await openBoard(e2e.server, workshop.id, 'actions')
  const pilot = note('shape:pilot', { x: 100, y: 1100 }, 'Pilot with Ops')
  await board.write([pilot, note('shape:depot', { x: 400, y: 1100 }, 'Share depot data')])
  const mark = async (internal: boolean) => {
    await board.write([internal ? { ...pilot, meta: { ...pilot.meta, keyplanInternal: true } } : pilot])
    // The server moves it between the parts once the new copy is durable ([A35]).
    await waitFor(() => hasRecord(e2e.server.server.rooms.get(board.room)!.doc, 'shape:pilot') === !internal, 'the server to move the item')
  }

  const [carla] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.guest}`, ['Carla Customer'])
  if (!carla) throw new Error('no guest page')
  await waitForBoard(carla.page)
  const panel = sidePanel(carla.page)
  const results = panel.getByRole('list', { name: 'Results' })

  const fran = await openControl(e2e.server, workshop.id, workshop.tokens.facilitator, 'Fran')
  const tom = await openControl(e2e.server, workshop.id, workshop.tokens.team, 'Tom')
  for (const person of [fran, tom]) person.send({ type: 'presence', board: 'actions' })
  await tom.next('participants', (m) => m.participants.filter((p) => p.where === 'actions').length === 3)
  fran.send({ type: 'vote-start', board: 'actions', question: 'Which actions first?', votesPerPerson: 2, shapeTypes: ['note'] })
  const vote = (await tom.next('vote', (m) => m.vote?.question === 'Which actions first?')).vote
  if (!vote) throw new Error('no vote')
  for (const item of ['shape:pilot', 'shape:depot']) {
    tom.send({ type: 'vote-cast', voteId: vote.id, item, add: true })
    await tom.next('vote', (m) => m.vote?.mine[item] === 1)
  }

  // Pilot is marked internal, the vote closed: Carla's results leave it out.
  await mark(true)
  fran.send({ type: 'vote-close', voteId: vote.id })
  await results.waitFor({ timeout: WAIT_MS })
  expect(await results.getByRole('listitem').allTextContents()).toEqual(['Share depot data (1 vote)'])

  // Pilot is visible again: it is back on her board and in her results.
  await mark(false)
  await shapeWithText(carla.page, 'note', 'Pilot with Ops').waitFor({ timeout: WAIT_MS })
  await expect.poll(() => results.getByRole('listitem').allTextContents(), { timeout: WAIT_MS }).toEqual(expect.arrayContaining(['Pilot with Ops (1 vote)', 'Share depot data (1 vote)']))

  // Dismissed, the results do not come back when the items change again.
  await panel.getByRole('button', { name: 'Dismiss' }).click()
  await results.waitFor({ state: 'detached', timeout: WAIT_MS })
  await mark(true)
  await mark(false)
  await shapeWithText(carla.page, 'note', 'Pilot with Ops').waitFor({ timeout: WAIT_MS })
  // The timer's start is sent after the results on the same socket: once she sees it, she had them.
  fran.send({ type: 'timer', command: { action: 'start', durationMs: 60_000 } })
  await carla.page.getByRole('timer').waitFor({ timeout: WAIT_MS })
  expect(await results.count()).toBe(0)
  for (const client of [fran, tom]) client.close()
  board.destroy()
})
