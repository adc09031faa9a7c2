/**
 * Present mode on the room-control channel (docs/server-rules.md [C12]): the facilitator's
 * `present` brings every other page to follow them, and the presentation's end reaches every other
 * page at once as `present-ended`, whether the presenter stopped, closed their page or lost the
 * connection; only the facilitator presents, and only the presenter ends it.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { openControl, type ControlClient } from '../helpers/controlClient.ts'
import { startServer, type TestServer, type TestWorkshop } from '../helpers/startServer.ts'

let server: TestServer
let workshop: TestWorkshop

beforeAll(async () => {
  server = await startServer()
  workshop = await server.createWorkshop({ account: 'Northwind', title: 'Plan' })
})
afterAll(() => server.close())

/** The facilitator on the SWOT presenting, and a team page and a guest page brought to follow. */
async function presenting(): Promise<{ fran: ControlClient; tom: ControlClient; gina: ControlClient }> {
  const fran = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fran')
  const tom = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
  const gina = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
  fran.send({ type: 'presence', board: 'swot' })
  await tom.next('participants', (m) => m.participants.some((p) => p.name === 'Fran' && p.where === 'swot'))
  fran.send({ type: 'present', on: true })
  for (const follower of [tom, gina]) expect((await follower.next('summoned')).leader).toBe(fran.userId)
  return { fran, tom, gina }
}

it('[C12] stopping presenting releases every other page at once', async () => {
  const { fran, tom, gina } = await presenting()
  fran.send({ type: 'present', on: false })
  for (const follower of [tom, gina]) expect((await follower.next('present-ended')).leader).toBe(fran.userId)
  expect(fran.messages.some((m) => m.type === 'present-ended')).toBe(false)
  for (const client of [fran, tom, gina]) client.close()
})

it('[C12] the presenter’s page closing (or its connection lost) releases every other page', async () => {
  const { fran, tom, gina } = await presenting()
  fran.ws.terminate()
  for (const follower of [tom, gina]) expect((await follower.next('present-ended')).leader).toBe(fran.userId)
  for (const client of [tom, gina]) client.close()
})

it('[C3][C12] only the facilitator presents; a facilitator who is not presenting ends nothing', async () => {
  const { fran, tom, gina } = await presenting()
  tom.send({ type: 'presence', board: 'swot' })
  tom.send({ type: 'present', on: true })
  await tom.next('refused', (m) => m.message.includes('only the facilitator'))
  // A second facilitator page presents meanwhile: the first one's stop ends nothing of theirs.
  const fay = await openControl(server, workshop.id, workshop.tokens.facilitator, 'Fay')
  fay.send({ type: 'presence', board: 'actions' })
  await gina.next('participants', (m) => m.participants.some((p) => p.name === 'Fay' && p.where === 'actions'))
  fay.send({ type: 'present', on: true })
  await tom.next('summoned', (m) => m.leader === fay.userId)
  fran.send({ type: 'present', on: false })
  fran.close()
  fay.send({ type: 'present', on: false })
  await tom.next('present-ended', (m) => m.leader === fay.userId)
  // Nothing ended Fran's presentation once Fay's had taken its place.
  expect(tom.messages.filter((m) => m.type === 'present-ended').map((m) => m.leader)).toEqual([fay.userId])
  for (const client of [tom, gina, fay]) client.close()
})

it('[C12] a page (re)connecting is told who presents now, so one that missed the end stops following', async () => {
  const { fran, tom, gina } = await presenting()
  expect(tom.messages.find((m) => m.type === 'summoned')).toMatchObject({ leader: fran.userId, present: true })
  // Gina's page reconnects while Fran presents: its welcome names Fran's page.
  gina.close()
  const again = await openControl(server, workshop.id, workshop.tokens.guest, 'Gina')
  const franPage = fran.messages.find((m) => m.type === 'welcome')
  expect(again.messages.find((m) => m.type === 'welcome')).toMatchObject({ presenter: { id: franPage?.type === 'welcome' ? franPage.id : '?', userId: fran.userId } })
  // Tom's page is away as Fran stops; when it reconnects, its welcome says nobody presents.
  tom.ws.terminate()
  fran.send({ type: 'present', on: false })
  await again.next('present-ended')
  again.close()
  const back = await openControl(server, workshop.id, workshop.tokens.team, 'Tom')
  expect(back.messages.find((m) => m.type === 'welcome')).toMatchObject({ presenter: null })
  // "Bring everyone here" is a summons, not a presentation.
  fran.send({ type: 'summon' })
  expect(await back.next('summoned')).toMatchObject({ leader: fran.userId, present: false })
  for (const client of [fran, back]) client.close()
})
