import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { startServer, tempDataDir, type TestServer } from '../helpers/startServer.ts'

const clientDir = tempDataDir()
let built: TestServer
let unbuilt: TestServer
beforeAll(async () => {
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Keyplan</title>')
  fs.mkdirSync(path.join(clientDir, 'assets'))
  fs.writeFileSync(path.join(clientDir, 'assets', 'app.js'), 'console.log(1)')
  built = await startServer({}, { clientDir })
  unbuilt = await startServer({}, { clientDir: path.join(clientDir, 'missing') })
})
afterAll(async () => {
  await Promise.all([built.close(), unbuilt.close()])
  fs.rmSync(clientDir, { recursive: true, force: true })
})

test('static files are served, client routes fall back to index.html', async () => {
  const asset = await fetch(`${built.url}/assets/app.js`)
  expect(asset.status).toBe(200)
  expect(await asset.text()).toBe('console.log(1)')
  for (const route of ['/', '/w/abc123abc123/swot']) {
    const page = await fetch(`${built.url}${route}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>Keyplan</title>')
  }
})

test('API and sync paths never fall back to index.html', async () => {
  expect((await fetch(`${built.url}/api/nope`)).status).toBe(404)
  expect((await fetch(`${built.url}/sync/abc/swot`)).status).toBe(426)
})

test('without a built client, pages answer 503 saying how to build it', async () => {
  const page = await fetch(`${unbuilt.url}/`)
  expect(page.status).toBe(503)
  expect(await page.text()).toContain('npm run build')
  expect((await fetch(`${unbuilt.url}/api/health`)).status).toBe(200)
})
