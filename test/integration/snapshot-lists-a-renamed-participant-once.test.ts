/**
 * A snapshot names each participant once, under the name they last used (QA pass of 2026-12-06):
 * someone who renamed themselves during the session was listed under both names ("Carla, Carla
 * Customer"), as names were kept by name, not by who published them. Two people are still two.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { waitFor } from '../helpers/clients.ts'
import { action } from '../helpers/planBoards.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { startServer, takeSnapshot, type TestServer } from '../helpers/startServer.ts'
import { participantNames } from '../../server/snapshot/participants.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('lists a participant who renamed themselves once, under the last name', async () => {
  const workshop = await server.createWorkshop()
  const carla = await openBoard(server, workshop.id, 'swot', 'Carla Customer')
  const grace = await openBoard(server, workshop.id, 'actions', 'Grace')
  await carla.write([noteIn('strengths', 'shape:n1', 'Strong brand')])
  await grace.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' })])

  carla.provider.awareness.setLocalStateField('presence', { userId: 'user:carla customer', userName: 'Carla' })
  const room = () => server.server.rooms.get(`${workshop.id}/swot`)
  await waitFor(() => {
    const live = room()
    return live !== undefined && participantNames(live.awareness).includes('Carla')
  }, 'the server to hear the new name')

  // Taken while both are there, and again once Carla has left (from what was seen).
  const take = () => takeSnapshot(server, workshop.id)
  expect([...(await take()).participants].sort()).toEqual(['Carla', 'Grace'])
  await carla.write([noteIn('strengths', 'shape:n2', 'Loyal customers')])
  carla.destroy()
  await waitFor(() => room() === undefined || participantNames(room()!.awareness).length === 0, 'Carla to leave')
  expect([...(await take()).participants].sort()).toEqual(['Carla', 'Grace'])
  grace.destroy()
})
