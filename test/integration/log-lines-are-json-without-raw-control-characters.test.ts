import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import WebSocket from 'ws'
import { CLOSE_CODES } from '../../shared/protocol.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'

let child: ChildServer
beforeAll(async () => {
  child = await startChildServer({ DATA_DIR: tempDataDir(), LOG_LEVEL: 'info' })
})
afterAll(async () => {
  child.process.kill('SIGTERM')
  await child.exited
})

/** Every line the server wrote to stderr, each parsed as JSON (throws on a line that is not). */
const logLines = () =>
  child
    .stderr()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

/** Opens a socket at `path` (sent as is) and resolves with its close code. */
function closeCodeAt(path: string): Promise<number> {
  const socket = new WebSocket(`${child.syncUrl.replace(/\/sync$/, '')}${path}`)
  return new Promise((resolve) => socket.on('close', (code) => resolve(code)))
}

test('an unauthenticated path with ESC and newline is logged as one JSON line, escaped, never raw', async () => {
  // Percent-encoded in the request; decoded, it would repaint a terminal (ESC [2J) and forge a line.
  const hostile = '/sync/%1B%5B2Jevil%0A%7B%22level%22:%22info%22%7D/swot'
  // ESC alone, with no whitespace or quote that would make a key=value logger quote the value.
  const colour = '/sync/%1B%5B31mred%1B%5B0m/swot'
  expect(await closeCodeAt(hostile)).toBe(CLOSE_CODES.unauthorized)
  expect(await closeCodeAt(colour)).toBe(CLOSE_CODES.unauthorized)
  await vi.waitFor(() => expect(logLines().filter((line) => line.msg === 'sync.rejected')).toHaveLength(2))

  const raw = child.stderr()
  expect(raw).not.toContain('\x1b')
  expect(raw).not.toMatch(/\r/)
  const rejected = logLines().filter((line) => line.msg === 'sync.rejected')
  // Parsed back, the values say exactly what arrived.
  expect(rejected.map((line) => line.path)).toEqual(['/sync/\x1b[2Jevil\n{"level":"info"}/swot', '/sync/\x1b[31mred\x1b[0m/swot'])
  for (const line of logLines()) expect(line).toMatchObject({ level: expect.any(String), time: expect.any(String), msg: expect.any(String) })
})

test('tokens never appear in the JSON log lines, at info level [A11]', async () => {
  const workshop = await createWorkshop(child.url)
  const token = new URL(workshop.links.team).searchParams.get('token') ?? ''
  expect(await closeCodeAt(`/sync/${workshop.id}/nosuchboard?token=${token}`)).toBe(CLOSE_CODES.badRoom)
  await vi.waitFor(() => expect(logLines().filter((line) => line.msg === 'sync.rejected')).toHaveLength(3))
  for (const part of token.split('.')) expect(child.stderr()).not.toContain(part)
})
