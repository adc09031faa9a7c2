import { afterEach, beforeAll, expect, test } from 'vitest'
import { TEST_ORG_KEY, tempDataDir } from '../helpers/startServer.ts'
import { ensureBuilt, killGroup, refusesConnections, spawnServer, type Spawned } from '../helpers/spawnedServer.ts'

// Built under the hook's longer timeout (a fresh clone's first build on a loaded machine can
// outlast a test's).
beforeAll(() => ensureBuilt(), 300_000)

let running: Spawned | undefined
// A failed test must not leave a server behind.
afterEach(() => killGroup(running))

const env = () => ({ PORT: '0', DATA_DIR: tempDataDir(), KEYPLAN_ORG_KEY: TEST_ORG_KEY, LOG_LEVEL: 'warn' })

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  test(`${signal} to the \`npm start\` process stops the server, which frees its port, and npm exits 0`, async () => {
    running = spawnServer('npm', ['start', '--silent'], env())
    const url = await running.listening
    expect((await fetch(`${url}/api/health`)).status).toBe(200)

    running.process.kill(signal) // npm alone, as `kill <pid>` or a process manager does
    expect(await running.exited).toEqual({ code: 0, signal: null })
    expect(await refusesConnections(url)).toBe(true)
  })
}

test('SIGTERM to scripts/start.mjs is forwarded to the server, and it exits with the server’s code', async () => {
  running = spawnServer(process.execPath, ['scripts/start.mjs'], env())
  const url = await running.listening
  running.process.kill('SIGTERM')
  expect(await running.exited).toEqual({ code: 0, signal: null })
  expect(running.stderr()).not.toMatch(/server\.shutdown_failed/)
  expect(await refusesConnections(url)).toBe(true)
})
