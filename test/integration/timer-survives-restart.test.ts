/**
 * [C6] The facilitator's timer is stored before it is announced: after a server restart on the
 * same data, a page connecting sees it running to the same end time (and a paused one with the
 * same time left); a timer the store refuses is refused and nobody sees it change.
 */
import { afterAll, expect, it } from 'vitest'
import type { TimerState } from '../../shared/control.ts'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { openControl } from '../helpers/controlClient.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

class FlakyStore extends SqliteStore {
  failing = false
  override async saveTimer(workshopId: string, timer: TimerState): Promise<void> {
    if (this.failing) throw new Error('disk full')
    return super.saveTimer(workshopId, timer)
  }
}

let server: TestServer
afterAll(() => server.close())

it('[C6] a running timer keeps its end time across a restart; a paused one keeps its time left', async () => {
  server = await startServer()
  const running = await server.createWorkshop({ account: 'Northwind', title: 'Plan' })
  const paused = await server.createWorkshop({ account: 'Northwind', title: 'Review' })

  const facilitator = await openControl(server, running.id, running.tokens.facilitator, 'Fran')
  facilitator.send({ type: 'timer', command: { action: 'start', durationMs: 10 * 60_000 } })
  const started = await facilitator.next('timer', (m) => m.state.status === 'running')
  facilitator.close()

  const other = await openControl(server, paused.id, paused.tokens.facilitator, 'Fran')
  other.send({ type: 'timer', command: { action: 'start', durationMs: 5 * 60_000 } })
  await other.next('timer', (m) => m.state.status === 'running')
  other.send({ type: 'timer', command: { action: 'pause' } })
  const held = await other.next('timer', (m) => m.state.status === 'paused')
  other.close()

  await server.stop()
  server = await startServer({ dataDir: server.dataDir })

  const team = await openControl(server, running.id, running.tokens.team, 'Tom')
  expect((await team.next('timer')).state).toEqual(started.state)
  const late = await openControl(server, paused.id, paused.tokens.guest, 'Gina')
  expect((await late.next('timer')).state).toEqual(held.state)
  team.close()
  late.close()
})

it('[C6] refuses a timer change the store cannot keep, and nobody sees it', async () => {
  const flaky = await startServer({}, {}, (config) => new FlakyStore(config.dataDir))
  try {
    const workshop = await flaky.createWorkshop({ account: 'Northwind', title: 'Plan' })
    const facilitator = await openControl(flaky, workshop.id, workshop.tokens.facilitator, 'Fran')
    const team = await openControl(flaky, workshop.id, workshop.tokens.team, 'Tom')
    facilitator.send({ type: 'timer', command: { action: 'start', durationMs: 60_000 } })
    await team.next('timer', (m) => m.state.status === 'running')

    flaky.store.failing = true
    facilitator.send({ type: 'timer', command: { action: 'stop' } })
    await facilitator.next('refused', (m) => m.message.includes('timer'))
    flaky.store.failing = false
    // The next change goes through; the failed stop was never announced in between.
    facilitator.send({ type: 'timer', command: { action: 'pause' } })
    await team.next('timer', (m) => m.state.status === 'paused')
    const seen = team.messages.flatMap((m) => (m.type === 'timer' ? [m.state.status] : []))
    expect(seen.slice(seen.indexOf('running'))).toEqual(['running', 'paused'])
    facilitator.close()
    team.close()
  } finally {
    await flaky.close()
  }
})
