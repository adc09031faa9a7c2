import fs from 'node:fs'
import { afterAll, expect, test } from 'vitest'
import { connectClient, connectSynced, mapContent, waitFor } from '../helpers/clients.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { setEntry } from '../helpers/testEntries.ts'

const dataDir = tempDataDir()
const children: ChildServer[] = []
afterAll(() => {
  for (const child of children) child.process.kill('SIGKILL')
  fs.rmSync(dataDir, { recursive: true, force: true })
})

test('SIGKILL in the middle of a burst loses nothing any peer had received [S1] [S2]', async () => {
  const first = await startChildServer({ DATA_DIR: dataDir })
  children.push(first)
  const workshop = await createWorkshop(first.url)
  const room = `${workshop.id}/swot`
  const observer = await connectSynced(first.syncUrl, room)
  const writers = await Promise.all([0, 1].map(() => connectSynced(first.syncUrl, room)))

  // Two writers keep writing, one small update per key, until the server is gone.
  let killed = false
  const bursts = writers.map(async (writer, w) => {
    for (let i = 0; !killed; i++) {
      setEntry(writer.doc, `w${w}-${i}`, i)
      await new Promise((resolve) => setImmediate(resolve))
    }
  })
  await waitFor(() => Object.keys(mapContent(observer.doc)).length >= 300, 'the observer to receive a good part of the burst')
  first.process.kill('SIGKILL')
  const exit = await first.exited
  killed = true
  await Promise.all(bursts)
  expect(exit.signal).toBe('SIGKILL')

  // What the observer received is exactly what the server relayed before dying.
  const received = mapContent(observer.doc)
  // No client may resync its own copy into the new server: only storage counts.
  for (const client of [observer, ...writers]) client.destroy()

  const second = await startChildServer({ DATA_DIR: dataDir })
  children.push(second)
  const fresh = await connectSynced(second.syncUrl, room)
  const recovered = mapContent(fresh.doc)
  const missing = Object.keys(received).filter((key) => recovered[key] !== received[key])
  expect(missing).toEqual([])
  expect(Object.keys(received).length).toBeGreaterThanOrEqual(300)
  fresh.destroy()
  second.process.kill('SIGTERM')
  expect((await second.exited).code).toBe(0)
})

test('the server runs as a child process and exits 0 on SIGINT', async () => {
  const child = await startChildServer({ DATA_DIR: dataDir })
  children.push(child)
  const health = await fetch(`${child.url}/api/health`)
  expect(health.status).toBe(200)
  const client = connectClient(child.syncUrl, 'nosuchworkshop1/swot')
  client.destroy()
  child.process.kill('SIGINT')
  expect((await child.exited).code).toBe(0)
})
