import type { TLRecord, TLShape } from '@tldraw/tlschema'
import type { Browser, Page } from 'playwright-core'
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { templateRecords } from '../shared/templates.ts'
import { openBoard, type BoardClient } from '../test/helpers/boardClients.ts'
import { launchBrowser } from '../test/helpers/browser.ts'
import { ensureClientBuilt } from '../test/helpers/buildClient.ts'
import { facilitatorToken, startServer, type TestServer } from '../test/helpers/startServer.ts'
import { installProbe, takeIn, watchApplies } from './browserProbe.ts'
import { median } from './stats.ts'
import { batchShapes, changeFromTldrawPage } from './suites/browser.ts'
import { TldrawSyncPeer } from './tldrawSync/TldrawSyncPeer.ts'

/**
 * A/B of the browser bench's remote-batch and cold-open scenarios with the candidates interleaved
 * round by round (the shared machine's load changes within a run): Keyplan as built in
 * `AB_BASE_CLIENT` (another checkout's dist/client), any other builds named in `AB_CLIENTS`
 * (`name=/path/dist/client,name2=/path2`), Keyplan as built here, tldraw sync. Each round's line
 * shows total/longest task ms and, for creates, the number of store merges (slices) and of tasks
 * of 50 ms or more.
 * `AB_BASE_CLIENT=/path/dist/client node --import tsx bench/abRemoteBatch.ts [rounds] [coldRounds]`
 */

const COLD = 2_000
const rounds = Number(process.argv[2] ?? 4)
const coldRounds = Number(process.argv[3] ?? 0)
const baseClient = process.env.AB_BASE_CLIENT
const otherClients = (process.env.AB_CLIENTS ?? '')
  .split(',')
  .filter((entry) => entry.includes('='))
  .map((entry) => entry.split('=') as [string, string]) // name=path, checked by the filter

interface Candidate {
  name: string
  watcher: Page
  change(put: readonly TLShape[], remove: readonly string[]): Promise<void>
  coldUrl: string
}

async function openPage(browser: Browser, url: string, expect = 0): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  await installProbe(context, expect)
  const page = await context.newPage()
  await page.goto(url)
  return page
}

async function keyplan(browser: Browser, server: TestServer, name: string, clients: BoardClient[]): Promise<Candidate> {
  const url = async (title: string, shapes: TLShape[]) => {
    const workshop = await server.createWorkshop({ account: 'Bench Corp', title })
    const writer = await openBoard(server, workshop.id, 'swot', 'Bench Writer')
    clients.push(writer)
    if (shapes.length > 0) await writer.write(shapes)
    const u = new URL(`${server.url}/w/${workshop.id}/swot`)
    u.searchParams.set('name', 'Vera Viewer')
    u.searchParams.set('token', facilitatorToken(workshop.id) ?? '')
    return { url: u.toString(), writer }
  }
  const live = await url('live', [])
  const cold = await url('cold', batchShapes('cold', COLD))
  const watcher = await openPage(browser, live.url)
  return { name, watcher, change: (put, remove) => (remove.length > 0 ? live.writer.remove(remove) : live.writer.write(put)), coldUrl: cold.url }
}

async function tldraw(browser: Browser, peer: TldrawSyncPeer): Promise<Candidate> {
  const template = templateRecords('swot') as unknown as TLRecord[] // the template's records are valid tldraw records
  await peer.change('live', template)
  await peer.change('cold', [...template, ...batchShapes('cold', COLD)])
  const writer = await openPage(browser, `${peer.pageUrl('live')}&writer=1`)
  await writer.waitForFunction(() => window.benchStore !== undefined, undefined, { timeout: 60_000 })
  const watcher = await openPage(browser, peer.pageUrl('live'))
  return {
    name: 'tldraw-sync',
    watcher,
    coldUrl: peer.pageUrl('cold'),
    change: (put, remove) => changeFromTldrawPage(writer, put, remove),
  }
}

await ensureClientBuilt()
const browser = await launchBrowser()
const servers: TestServer[] = []
const clients: BoardClient[] = []
// A directory of its own: other runs on the machine may build their tldraw page at the same time.
const pageDir = mkdtempSync(join(tmpdir(), 'ab-tldraw-page-'))
const peer = await TldrawSyncPeer.start(pageDir)
try {
  const candidates: Candidate[] = []
  if (baseClient) {
    const server = await startServer({}, { clientDir: baseClient })
    servers.push(server)
    candidates.push(await keyplan(browser, server, 'base', clients))
  }
  for (const [name, clientDir] of otherClients) {
    const server = await startServer({}, { clientDir })
    servers.push(server)
    candidates.push(await keyplan(browser, server, name, clients))
  }
  const server = await startServer()
  servers.push(server)
  candidates.push(await keyplan(browser, server, 'new', clients))
  candidates.push(await tldraw(browser, peer))
  for (const c of candidates) {
    await c.watcher.locator('.tl-canvas').waitFor({ timeout: 60_000 })
    await watchApplies(c.watcher)
    await c.watcher.evaluate(() => {
      window.testEditor.setCamera({ x: 0, y: 0, z: 1 }) // returns the editor, which cannot come back to Node
    })
  }
  const results = new Map<string, Record<string, number[]>>(candidates.map((c) => [c.name, {}]))
  const add = (name: string, metric: string, value: number) => {
    const r = results.get(name)
    if (r) (r[metric] ??= []).push(value)
  }
  for (let round = 0; round <= rounds; round++) {
    // Rotate the order so no candidate always goes first.
    const order = candidates.map((_, i) => candidates[(i + round) % candidates.length]).filter((c): c is Candidate => c !== undefined)
    const line: string[] = []
    for (const c of order) {
      const shapes = batchShapes(`${c.name.slice(0, 1)}${round}n`)
      const ids = shapes.map((s) => s.id)
      const moved = shapes.map((s) => ({ ...s, x: s.x + 15, y: s.y + 10 }))
      const create = await takeIn(c.watcher, () => c.change(shapes, []), { ids, present: true })
      const move = await takeIn(c.watcher, () => c.change(moved, []), { ids, present: true, x: moved.map((s) => s.x) })
      const remove = await takeIn(c.watcher, () => c.change([], ids), { ids, present: false })
      line.push(`${c.name}: moves ${move.totalMs.toFixed(0)}/${move.longestTaskMs.toFixed(0)} creates ${create.totalMs.toFixed(0)}/${create.longestTaskMs.toFixed(0)} (${create.merges} merges, ${create.longTasks.length} tasks ≥ 50 ms) deletes ${remove.totalMs.toFixed(0)}/${remove.longestTaskMs.toFixed(0)} (${remove.merges} merges)`)
      if (round === 0) continue
      add(c.name, 'moves total', move.totalMs)
      add(c.name, 'moves longest', move.longestTaskMs)
      add(c.name, 'moves tasks of 50 ms or more', move.longTasks.length)
      add(c.name, 'creates total', create.totalMs)
      add(c.name, 'creates longest', create.longestTaskMs)
      add(c.name, 'creates tasks of 50 ms or more', create.longTasks.length)
      add(c.name, 'deletes total', remove.totalMs)
      add(c.name, 'deletes longest', remove.longestTaskMs)
    }
    console.log(`round ${round}${round === 0 ? ' (warm-up)' : ''} load ${loadavg()[0]?.toFixed(1)}: ${line.join(' | ')}`)
  }
  for (let round = 0; round < coldRounds; round++) {
    const line: string[] = []
    const order = candidates.map((_, i) => candidates[(i + round) % candidates.length]).filter((c): c is Candidate => c !== undefined)
    for (const c of order) {
      const page = await openPage(browser, c.coldUrl, COLD + templateRecords('swot').filter((r) => r.typeName === 'shape').length)
      await page.waitForFunction(() => window.probe.drawnAt !== null, undefined, { timeout: 240_000 })
      const ms = await page.evaluate(() => window.probe.drawnAt ?? Number.NaN)
      await page.context().close()
      add(c.name, 'cold open', ms)
      line.push(`${c.name} ${ms.toFixed(0)}`)
    }
    console.log(`cold ${round} load ${loadavg()[0]?.toFixed(1)}: ${line.join(' | ')}`)
  }
  const tl = results.get('tldraw-sync') ?? {}
  for (const [name, r] of results) {
    for (const [metric, values] of Object.entries(r)) {
      const ratios = values.map((v, i) => v / (tl[metric]?.[i] ?? Number.NaN))
      console.log(`${name} ${metric}: median ${median(values).toFixed(1)} [${values.map((v) => v.toFixed(0)).join(', ')}]; per-round ratio to tldraw: median ${median(ratios).toFixed(2)} [${ratios.map((x) => x.toFixed(2)).join(', ')}]`)
    }
  }
} finally {
  for (const c of clients) c.destroy()
  await browser.close()
  for (const s of servers) await s.close()
  await peer.close()
  rmSync(pageDir, { recursive: true, force: true })
}
