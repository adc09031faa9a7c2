import { spawn } from 'node:child_process'
import { beforeAll, expect, test } from 'vitest'
import * as Y from 'yjs'
import { serverEntry } from '../../scripts/serverBuild.mjs'
import { SqliteStore } from '../../server/store/SqliteStore.ts'
import { ensureServerBuilt } from '../helpers/buildClient.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { TEST_ORG_KEY, createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { setEntry, getEntry } from '../helpers/testEntries.ts'

// Built under the hook's longer timeout (a fresh clone's first build on a loaded machine can
// outlast a test's).
beforeAll(() => ensureServerBuilt(), 300_000)

// Plain Node fails on any import left pointing at a .ts file, so this catches a build that only
// works through tsx.
test('the server compiled for npm start (dist/node) runs on plain Node: REST, sync and storage', async () => {
  const dataDir = tempDataDir()
  const child = spawn(process.execPath, [serverEntry], {
    env: { ...process.env, PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: TEST_ORG_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let workshopId = ''
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString()
        const match = /listening on (http:\/\/\S+)/.exec(out)
        if (match?.[1]) resolve(match[1])
      })
      child.once('exit', (code) => reject(new Error(`compiled server exited (${code})`)))
    })
    expect((await fetch(`${url}/api/health`)).status).toBe(200)

    const workshop = await createWorkshop(url)
    workshopId = workshop.id
    const syncUrl = `${url.replace(/^http/, 'ws')}/sync`
    const writer = await connectSynced(syncUrl, `${workshop.id}/swot`)
    const reader = await connectSynced(syncUrl, `${workshop.id}/swot`)
    setEntry(writer.doc, 'from', 'the compiled server')
    await waitFor(() => getEntry(reader.doc, 'from') === 'the compiled server', 'the relay')
    writer.destroy()
    reader.destroy()
  } finally {
    child.kill('SIGTERM')
    await exited
  }
  // Stored in DATA_DIR, as by the TypeScript server.
  const store = new SqliteStore(dataDir)
  const stored = new Y.Doc()
  for (const update of (await store.loadDocument(`${workshopId}/swot`)).updates) Y.applyUpdate(stored, update)
  await store.close()
  expect(getEntry(stored, 'from')).toBe('the compiled server')
})
