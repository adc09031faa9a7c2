/**
 * [H2] A writer's open change is stored, without anyone reading the history, once they pause for
 * HISTORY_IDLE_MS or leave; HISTORY_MAX_MS bounds how long one change stays open.
 */
import { afterAll, expect, test } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { note } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

const servers: TestServer[] = []

afterAll(async () => {
  for (const server of servers) await server.close()
})

async function storedChanges(server: TestServer, workshopId: string): Promise<number> {
  return (await server.store.listChanges(workshopId, 'swot', { limit: 100 })).changes.length
}

/** Polls the store (never the API, which would close open changes) until it holds `count` changes. */
async function waitForStored(server: TestServer, workshopId: string, count: number, what: string): Promise<void> {
  const deadline = Date.now() + 20_000
  while ((await storedChanges(server, workshopId)) !== count) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

test('a change is stored once its writer pauses', async () => {
  const server = await startServer({ historyIdleMs: 50, historyMaxMs: 600_000 })
  servers.push(server)
  const workshop = await server.createWorkshop()
  const ada = await openBoard(server, workshop.id, 'swot', 'Ada')
  await ada.write([note('shape:paused', { x: 0, y: 0 }, 'Paused')])
  await waitForStored(server, workshop.id, 1, 'the change to be stored after the pause')
  ada.destroy()
})

test('a change is stored when its writer leaves', async () => {
  const server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 600_000 })
  servers.push(server)
  const workshop = await server.createWorkshop()
  const ada = await openBoard(server, workshop.id, 'swot', 'Ada')
  await ada.write([note('shape:left', { x: 0, y: 0 }, 'Left')])
  expect(await storedChanges(server, workshop.id)).toBe(0)
  ada.destroy()
  await waitForStored(server, workshop.id, 1, 'the change to be stored after the writer left')
})

test('with no longest window, every edit is a change of its own', async () => {
  const server = await startServer({ historyIdleMs: 600_000, historyMaxMs: 0 })
  servers.push(server)
  const workshop = await server.createWorkshop()
  const ada = await openBoard(server, workshop.id, 'swot', 'Ada')
  await ada.write([note('shape:a', { x: 0, y: 0 }, 'A')])
  await ada.write([note('shape:b', { x: 300, y: 0 }, 'B')])
  await ada.write([note('shape:c', { x: 600, y: 0 }, 'C')])
  await server.server.history.settled()
  expect(await storedChanges(server, workshop.id)).toBe(3)
  ada.destroy()
})
