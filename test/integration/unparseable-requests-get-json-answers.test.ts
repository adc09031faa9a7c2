/**
 * QA q28c: a request whose URL or headers were over Node's 16 KiB, or whose request line or Host
 * header Node could not parse, was dropped without an answer ("Empty reply from server"). It gets
 * a JSON answer like every other refusal (431 `headers_too_large`, 400 `bad_request`), and the
 * server goes on serving.
 */
import net from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { ApiErrorSchema } from '../../shared/api.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

/** What the server answers to `request`, sent as raw bytes. */
function raw(request: string): Promise<string> {
  const { port } = new URL(server.url)
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.end(request))
    let answer = ''
    socket.setEncoding('utf8')
    socket.on('data', (chunk: string) => (answer += chunk))
    socket.on('close', () => resolve(answer))
    socket.on('error', reject)
  })
}

test('a URL over 16 KiB answers 431 with a JSON error', async () => {
  const response = await fetch(`${server.url}/api/workshops?${'x'.repeat(20_000)}`)
  expect(response.status).toBe(431)
  expect(ApiErrorSchema.parse(await response.json()).error.code).toBe('headers_too_large')
})

test('a request line Node cannot parse answers 400 with a JSON error', async () => {
  const answer = await raw('NOT A REQUEST\r\n\r\n')
  expect(answer.startsWith('HTTP/1.1 400 Bad Request\r\n')).toBe(true)
  const body = answer.slice(answer.indexOf('\r\n\r\n') + 4)
  expect(ApiErrorSchema.parse(JSON.parse(body)).error.code).toBe('bad_request')
  // And the server goes on serving.
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200)
})
