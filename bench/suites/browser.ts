import type { TLShape } from '@tldraw/tlschema'
import { getIndices, type JsonObject } from '@tldraw/utils'
import type { Browser, Page } from 'playwright-core'
import type { TLRecord } from '@tldraw/tlschema'
import { availableParallelism, loadavg } from 'node:os'
import { join } from 'node:path'
import { readRecords } from '../../shared/docLayout.ts'
import { BOARD_PAGE_ID, templateRecords } from '../../shared/templates.ts'
import { openBoard, type BoardClient } from '../../test/helpers/boardClients.ts'
import { launchBrowser, openPeople, shapeWithText, waitForBoard, type Person } from '../../test/helpers/browser.ts'
import { ensureClientBuilt } from '../../test/helpers/buildClient.ts'
import { connectSynced, waitFor, type TestClient } from '../../test/helpers/clients.ts'
import { exposeEditor } from '../../test/helpers/pageEditor.ts'
import { geo, note } from '../../test/helpers/planBoards.ts'
import { facilitatorToken, startServer, type TestServer } from '../../test/helpers/startServer.ts'
import { installProbe, takeIn, watchApplies, type Taken } from '../browserProbe.ts'
import { mean, median } from '../stats.ts'
import { TldrawSyncPeer } from '../tldrawSync/TldrawSyncPeer.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

/**
 * In-browser benchmarks (issues 3 and 14) against the real server (in-process,
 * `test/helpers/startServer.ts`) and the real built client in headless Chromium, launched like the
 * e2e tests, side by side with tldraw's own multiplayer (`bench/tldrawSync/TldrawSyncPeer.ts`):
 *
 * 1. Side by side, same records, same camera: a second browser opening a board of 2,000 shapes
 *    (navigation to all shapes drawn); a page taking in remote batches of 1,000 creates, moves and
 *    deletes (total time and longest task, read in the page by `bench/browserProbe.ts`); the
 *    websocket messages and bytes a page receives while another page drags a shape.
 * 2. Drag (Keyplan only): one page drags a shape with the mouse (many small `mouse.move` steps) while 3 other
 *    pages and 2 Node providers are connected (5 other clients); one of the providers counts the
 *    document updates relayed by the server (`doc.on('update')`) and their bytes.
 *
 * Runnable alone: `node --import tsx bench/suites/browser.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const COLUMN = 'keyplan'
const TLDRAW = 'tldraw-sync'
const BATCH = 1_000
const COLD_SHAPES = 2_000
const WAIT_MS = 60_000
/**
 * The watching pages' camera in the remote-batch scenario, the same for every candidate: the SWOT
 * template in view at 100 %, the batch (from x, y = 2,000) beyond the bottom right of the view.
 */
const BATCH_CAMERA = { x: 0, y: 0, z: 1 }

/** A shape id of the benchmark (`shape:` + a fixed-width name, so ids sort like their numbers). */
const shapeId = (prefix: string, i: number) => `shape:${prefix}${String(i).padStart(5, '0')}`

/** `count` notes and geo shapes in a grid on the board's page, ids `shape:<prefix>NNNNN`. */
export function batchShapes(prefix: string, count = BATCH): TLShape[] {
  const indices = getIndices(count + 1).slice(1)
  return Array.from({ length: count }, (_, i) => {
    const at = { x: 2_000 + (i % 40) * 220, y: 2_000 + Math.floor(i / 40) * 220, parentId: BOARD_PAGE_ID }
    const shape = i % 2 === 0 ? note(shapeId(prefix, i), at, `Note ${i}`) : geo(shapeId(prefix, i), at, 200, 150, `Box ${i}`)
    return { ...shape, index: indices[i] } as TLShape // getIndices returns count + 1 keys
  })
}

/** Puts `put` or removes `remove` through the store of a tldraw sync page (`?writer=1`), as a teammate's client would. */
export async function changeFromTldrawPage(page: Page, put: readonly TLShape[], remove: readonly string[]): Promise<void> {
  await page.evaluate(
    ({ records, ids }) => {
      const store = window.benchStore
      if (!store) throw new Error('the writer page lost its store')
      // JSON.parse: the bench's records and ids, typed by the store's put and remove.
      if (records !== '[]') store.put(JSON.parse(records))
      if (ids !== '[]') store.remove(JSON.parse(ids))
    },
    { records: JSON.stringify(put), ids: JSON.stringify(remove) },
  )
}

const asJson = (shapes: readonly TLShape[]) => shapes.map((s) => s as unknown as JsonObject) // tldraw records are JSON

/** One candidate of the side-by-side scenarios: a way to open pages on its boards and change them remotely. */
interface Candidate {
  name: string
  /** Opens a page on `board` in a fresh browser context with the probe installed (`bench/browserProbe.ts`). */
  open(board: 'live' | 'cold', expectShapes?: number): Promise<Person>
  /** Writes `put` or `remove` into `board` from a client that is not a page (Keyplan: a Node provider; tldraw: the room). */
  change(board: 'live' | 'cold', put: readonly TLShape[], remove: readonly string[]): Promise<void>
}

const VIEWPORT = { width: 1400, height: 900 }

/** Opens `url` in a fresh context with the probe, and waits for the canvas unless `expectShapes` (a timed cold open). */
async function openProbed(browser: Browser, url: string, name: string, expectShapes = 0): Promise<Person> {
  const context = await browser.newContext({ viewport: VIEWPORT })
  await installProbe(context, expectShapes)
  const page = await context.newPage()
  page.on('pageerror', (error) => console.error(`[${name}] page error:`, error))
  await page.goto(url)
  return { context, page, name }
}

interface Taken3 {
  create: Taken[]
  move: Taken[]
  remove: Taken[]
}

/** Rounds of 1,000 remote creates, moves and deletes into `page` (round 0 warms up and is not kept). */
async function remoteBatches(candidate: Candidate, page: Page, rounds: number, log: (m: string) => void): Promise<Taken3> {
  const result: Taken3 = { create: [], move: [], remove: [] }
  for (let round = 0; round <= rounds; round++) {
    log(`browser: ${candidate.name} remote batches, round ${round}/${rounds}${round === 0 ? ' (warm-up)' : ''}`)
    const shapes = batchShapes(`${candidate.name.slice(0, 1)}${round}n`)
    const ids = shapes.map((s) => s.id)
    const moved = shapes.map((s) => ({ ...s, x: s.x + 15, y: s.y + 10 }))
    const create = await takeIn(page, () => candidate.change('live', shapes, []), { ids, present: true })
    const move = await takeIn(page, () => candidate.change('live', moved, []), { ids, present: true, x: moved.map((s) => s.x) })
    const remove = await takeIn(page, () => candidate.change('live', [], ids), { ids, present: false })
    if (round === 0) continue
    result.create.push(create)
    result.move.push(move)
    result.remove.push(remove)
  }
  return result
}

/** Opens the cold board in a fresh context `rounds` times; ms from navigation to all shapes drawn. */
async function coldOpens(candidate: Candidate, rounds: number, expectShapes: number): Promise<number[]> {
  const times: number[] = []
  for (let round = 0; round < rounds; round++) {
    const person = await candidate.open('cold', expectShapes)
    try {
      await person.page.waitForFunction(() => window.probe.drawnAt !== null, undefined, { timeout: WAIT_MS * 2 })
      times.push(await person.page.evaluate(() => window.probe.drawnAt ?? Number.NaN))
    } finally {
      await person.context.close()
    }
  }
  return times
}

interface DragTraffic {
  mouseMoves: number
  /** Mouse moves per second the drag ran at (playwright waits for the page's frame). */
  movesPerSecond: number
  messages: number
  bytes: number
  /** Bytes of y-websocket awareness messages (first byte 1) among them; 0 for tldraw's JSON. */
  presenceBytes: number
  /** Did the watching page see the shape move? */
  moved: boolean
}

/** A second page of `candidate` drags a shape in `moves` mouse steps; counts what `watcher` receives meanwhile. */
async function dragTraffic(candidate: Candidate, watcher: Page, moves: number): Promise<DragTraffic> {
  const dragId = 'shape:sidebysidedrag'
  await candidate.change('live', [geo(dragId, { x: 150, y: 300, parentId: BOARD_PAGE_ID }, 160, 100, 'Side by side')], [])
  const dragger = await candidate.open('live')
  try {
    await dragger.page.locator('.tl-canvas').waitFor({ timeout: WAIT_MS })
    await exposeEditor(dragger.page)
    await dragger.page.waitForFunction((id) => window.testEditor.store.has(id as never), dragId, { timeout: WAIT_MS }) // an id of the bench's records
    const start = await dragger.page.evaluate(() => window.testEditor.pageToScreen({ x: 230, y: 350 }))
    const mark = await watcher.evaluate(() => window.probe.messages.length)
    await dragger.page.mouse.move(start.x, start.y)
    await dragger.page.mouse.down()
    const started = performance.now()
    for (let i = 1; i <= moves; i++) {
      const offset = 2 * (i % 150)
      await dragger.page.mouse.move(start.x + offset, start.y + offset / 3)
      await new Promise((resolve) => setTimeout(resolve, 8))
    }
    const seconds = (performance.now() - started) / 1000
    await dragger.page.mouse.up()
    await new Promise((resolve) => setTimeout(resolve, 500))
    const seen = await watcher.evaluate((m) => window.probe.messages.slice(m), mark)
    const moved = await watcher.evaluate((id) => (window.testEditor.store.get(id as never) as { x?: number } | undefined)?.x !== 150, dragId) // an id of the bench's records
    const bytes = (kind?: number) => seen.reduce((sum, [, size, first]) => (kind === undefined || first === kind ? sum + size : sum), 0)
    return { mouseMoves: moves, movesPerSecond: moves / seconds, messages: seen.length, bytes: bytes(), presenceBytes: bytes(1), moved }
  } finally {
    await dragger.context.close()
  }
}

interface DragResult {
  seconds: number
  mouseMoves: number
  updates: number
  bytes: number[]
  awarenessUpdates: number
  /** Did the observer see the shape move? */
  moved: boolean
}

/**
 * Drags the shape `dragId` (labelled `label`) on `dragger` for `seconds`, back and forth in small
 * mouse steps, while `observer` counts the document updates the server relays.
 */
async function drag(dragger: Page, observer: TestClient, label: string, dragId: string, startX: number, seconds: number): Promise<DragResult> {
  const shape = shapeWithText(dragger, 'geo', label)
  await shape.waitFor({ timeout: WAIT_MS })
  const box = await shape.boundingBox()
  if (!box) throw new Error('the shape to drag is not visible')
  const start = { x: box.x + box.width / 2, y: box.y + box.height / 2 }

  const bytes: number[] = []
  let awarenessUpdates = 0
  const onUpdate = (update: Uint8Array) => bytes.push(update.length)
  const onAwareness = ({ updated }: { updated: number[] }) => {
    awarenessUpdates += updated.filter((id) => id !== observer.doc.clientID).length
  }
  observer.doc.on('update', onUpdate)
  observer.provider.awareness.on('update', onAwareness)

  await dragger.mouse.move(start.x, start.y)
  await dragger.mouse.down()
  const started = performance.now()
  let moves = 0
  let offset = 0
  let direction = 1
  // ~2 px every ~8 ms, back and forth over 300 px: a steady, slow drag.
  while (performance.now() - started < seconds * 1000) {
    offset += 2 * direction
    if (offset >= 300 || offset <= 0) direction = -direction
    await dragger.mouse.move(start.x + offset, start.y + offset / 3)
    moves++
    await new Promise((resolve) => setTimeout(resolve, 8))
  }
  await dragger.mouse.up()
  const elapsed = (performance.now() - started) / 1000
  // Let the last updates arrive, then stop counting.
  await new Promise((resolve) => setTimeout(resolve, 500))
  observer.doc.off('update', onUpdate)
  observer.provider.awareness.off('update', onAwareness)
  const seen = readRecords(observer.doc).get(dragId)
  return { seconds: elapsed, mouseMoves: moves, updates: bytes.length, bytes, awarenessUpdates, moved: seen !== undefined && seen.x !== startX }
}

export const browserSuite: Suite = {
  name: 'browser',
  title: 'In-browser sync (headless Chromium)',
  description:
    'The real server (in-process) and the real built client in headless Chromium (flags as the e2e tests), side by side with ' +
    'tldraw\'s own multiplayer: `TLSocketRoom` (`@tldraw/sync-core` 5.4.2) on Node in the same process and a page with tldraw and ' +
    '`useSync` (`@tldraw/sync` 5.4.2) with Keyplan\'s card shapes (`bench/tldrawSync/`). Both boards hold the same records (the SWOT ' +
    'template, then the bench\'s shapes: half notes, half labelled geo shapes), and every page is 1400×900. ' +
    `Cold open: a fresh browser context opens a board of ${COLD_SHAPES.toLocaleString('en')} shapes; time from navigation to the first ` +
    'frame with every shape in the DOM (tldraw keeps culled shapes in the DOM, hidden). ' +
    `Remote batch: a page shows the SWOT template at 100 % (camera x ${BATCH_CAMERA.x}, y ${BATCH_CAMERA.y}, zoom ${BATCH_CAMERA.z}), the batch lies beyond its bottom right; ` +
    `${BATCH.toLocaleString('en')} shapes are created, then moved, then deleted in one change by a client that draws nothing (Keyplan: a Node ` +
    'y-websocket provider writing one Yjs transaction; tldraw: a page with `useSync` and no canvas, `store.put`/`store.remove`). Total: from the first websocket message ' +
    'the page receives to the end of its last `mergeRemoteChanges` call or long task, whichever is later; longest task: the ' +
    'browser\'s Long Tasks API, which reports only tasks of 50 ms and more (0 = none). Median of several rounds after one warm-up. ' +
    'Drag traffic: a second page drags a shape with the mouse (playwright, 2 px every ~8 ms); the watching page counts the websocket ' +
    'messages and bytes it receives (document and presence; tldraw\'s JSON counted in characters). ' +
    'The last scenario is Keyplan alone (issue 3): one page drags a shape while 3 other pages and 2 Node providers are connected; ' +
    'one of the providers counts the document updates the server relays (`doc.on(\'update\')`) and their bytes (the Yjs update, ' +
    'without the sync message header of 3 to 4 bytes). Its updates per second follow the rate of mouse moves, which playwright ' +
    'delivers one at a time, each waiting for the page\'s frame, so updates per mouse move is the figure that carries over.',
  columns: [COLUMN, TLDRAW],
  baseline: COLUMN,
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const rows: Row[] = []
    const warnings: Warning[] = []
    const wanted = (scenario: string) => !opts.scenario || scenario.includes(opts.scenario)
    const runs = (candidate: string) => !opts.candidates || opts.candidates.includes(candidate)
    const rounds = opts.quick ? 1 : 5
    const coldRounds = opts.quick ? 1 : 3
    const dragMoves = opts.quick ? 60 : 200
    const dragSeconds = opts.quick ? 3 : 10
    const coldScenario = `open a board of ${COLD_SHAPES.toLocaleString('en')} shapes in a second browser`
    const applyScenario = `remote batch of ${BATCH.toLocaleString('en')} shapes next to the view`
    const trafficScenario = 'another page drags a shape'
    const dragScenario = `drag one shape for ${dragSeconds} s, 5 other clients connected`
    const row = (scenario: string, metric: string, unit: string, better: Row['better'], values: Record<string, number>, extra: Partial<Row> = {}): Row => ({
      suite: 'browser',
      scenario,
      metric,
      unit,
      better,
      values: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, Math.round(v * 100) / 100])),
      ...extra,
    })

    // Pages render on the CPU: other work on the machine inflates every time here (both columns).
    const busiest = () => loadavg()[0] ?? 0
    let load = busiest()
    let server: TestServer | undefined
    let peer: TldrawSyncPeer | undefined
    let browser: Browser | undefined
    const clients: TestClient[] = []
    const people: Person[] = []
    try {
      opts.log('browser: building the clients (if stale), starting the servers and Chromium')
      await ensureClientBuilt()
      server = await startServer()
      browser = await launchBrowser()
      const workshop = await server.createWorkshop({ account: 'Bench Corp', title: 'Browser bench' })
      const boardUrl = `${server.url}/w/${workshop.id}/swot`
      const writer = await openBoard(server, workshop.id, 'swot', 'Bench Writer')
      clients.push(writer)

      const coldShapes = batchShapes('cold', COLD_SHAPES)
      const expectShapes = COLD_SHAPES + templateRecords('swot').filter((r) => r.typeName === 'shape').length
      const candidates: Candidate[] = []
      if (runs(COLUMN)) {
        const coldWorkshop = await server.createWorkshop({ account: 'Bench Corp', title: 'Browser bench, cold open' })
        const coldWriter = await openBoard(server, coldWorkshop.id, 'swot', 'Bench Writer')
        clients.push(coldWriter)
        await coldWriter.write(coldShapes)
        const writers = { live: writer, cold: coldWriter }
        const urls = { live: boardUrl, cold: `${server.url}/w/${coldWorkshop.id}/swot` }
        const workshops = { live: workshop.id, cold: coldWorkshop.id }
        candidates.push({
          name: COLUMN,
          open: (board, expect) => {
            const url = new URL(urls[board])
            url.searchParams.set('name', 'Vera Viewer')
            url.searchParams.set('token', facilitatorToken(workshops[board]) ?? '')
            return openProbed(browser as Browser, url.toString(), 'Vera Viewer', expect) // launched above
          },
          change: (board, put, remove) => (remove.length > 0 ? writers[board].remove(remove) : writers[board].write(put)),
        })
      }
      if (runs(TLDRAW)) {
        peer = await TldrawSyncPeer.start(join(opts.tmpDir || '/tmp', 'tldraw-sync-page'))
        const template = templateRecords('swot') as unknown as TLRecord[] // the template's records are valid tldraw records
        await peer.change('live', template)
        await peer.change('cold', [...template, ...coldShapes])
        const tldraw = peer
        // Changes come from a tldraw client (a page that draws nothing), as a teammate's would:
        // the room's own `updateStore` sends whole records, where a client sends moves as patches.
        const writerPage = await openProbed(browser, `${tldraw.pageUrl('live')}&writer=1`, 'Bench Writer')
        people.push(writerPage)
        await writerPage.page.waitForFunction(() => window.benchStore !== undefined, undefined, { timeout: WAIT_MS })
        candidates.push({
          name: TLDRAW,
          open: (board, expect) => openProbed(browser as Browser, tldraw.pageUrl(board), 'Vera Viewer', expect), // launched above
          change: (board, put, remove) => (board === 'live' ? changeFromTldrawPage(writerPage.page, put, remove) : tldraw.change(board, put, remove)),
        })
      }

      const cold: Record<string, number> = {}
      const applied: Record<string, Taken3> = {}
      const traffic: Record<string, DragTraffic> = {}
      for (const candidate of candidates) {
        if (wanted(coldScenario)) {
          opts.log(`browser: ${candidate.name} cold opens`)
          cold[candidate.name] = median(await coldOpens(candidate, coldRounds, expectShapes))
        }
        if (!wanted(applyScenario) && !wanted(trafficScenario)) continue
        const watcher = await candidate.open('live')
        people.push(watcher)
        await watcher.page.locator('.tl-canvas').waitFor({ timeout: WAIT_MS })
        await watchApplies(watcher.page)
        await watcher.page.evaluate((camera) => {
          window.testEditor.setCamera(camera)
        }, BATCH_CAMERA)
        if (wanted(applyScenario)) applied[candidate.name] = await remoteBatches(candidate, watcher.page, rounds, opts.log)
        if (wanted(trafficScenario)) {
          opts.log(`browser: ${candidate.name} drag traffic`)
          traffic[candidate.name] = await dragTraffic(candidate, watcher.page, dragMoves)
          if (!traffic[candidate.name]?.moved) {
            warnings.push({ suite: 'browser', candidate: candidate.name, scenario: trafficScenario, message: 'the watching page did not see the shape move' })
          }
        }
        await watcher.context.close()
        people.splice(people.indexOf(watcher), 1)
      }

      const per = <T>(results: Record<string, T>, value: (t: T) => number) =>
        Object.fromEntries(Object.entries(results).map(([name, result]) => [name, value(result)]))
      if (Object.keys(cold).length > 0) {
        rows.push(row(coldScenario, 'open to all shapes drawn', 'ms', 'lower', cold, { note: `median of ${coldRounds} opens, each in a fresh browser context` }))
      }
      if (Object.keys(applied).length > 0) {
        const n = BATCH.toLocaleString('en')
        for (const kind of ['move', 'create', 'remove'] as const) {
          const label = { move: 'moves', create: 'creates', remove: 'deletes' }[kind]
          rows.push(row(applyScenario, `${n} ${label}: total`, 'ms', 'lower', per(applied, (a) => median(a[kind].map((t) => t.totalMs)))))
          rows.push(row(applyScenario, `${n} ${label}: longest task`, 'ms', 'lower', per(applied, (a) => median(a[kind].map((t) => t.longestTaskMs))), {
            note: kind === 'move' ? `median of ${rounds} rounds; 0 = no task of 50 ms or more` : undefined,
          }))
          rows.push(row(applyScenario, `${n} ${label}: bytes received`, 'KB', 'lower', per(applied, (a) => median(a[kind].map((t) => t.bytes)) / 1024), { informational: true }))
        }
      }
      if (Object.keys(traffic).length > 0) {
        const rates = Object.entries(traffic).map(([name, t]) => `${name} ${t.movesPerSecond.toFixed(0)}/s`).join(', ')
        const presence = traffic[COLUMN] ? `; of Keyplan's bytes, presence (awareness) ${(traffic[COLUMN].presenceBytes / traffic[COLUMN].mouseMoves).toFixed(0)} B per move` : ''
        const note = `${dragMoves} mouse moves (${rates}); everything the watching page receives (document and presence)${presence}`
        rows.push(row(trafficScenario, 'messages received per mouse move', 'ratio', 'lower', per(traffic, (t) => t.messages / t.mouseMoves), { note }))
        rows.push(row(trafficScenario, 'bytes received per mouse move', 'B', 'lower', per(traffic, (t) => t.bytes / t.mouseMoves)))
      }

      if (runs(COLUMN) && wanted(dragScenario)) {
        // 4 pages (the dragging one, a viewer and 2 more) + the writer + an observer: the
        // dragging page and 5 other clients. Node providers instead of more pages: the machine
        // the bench runs on may have 2 cores, and each page renders the drag.
        const more = await openPeople(browser, boardUrl, ['Dora Dragger', 'Vera Viewer', 'Olga Other', 'Otto Other'])
        people.push(...more)
        await Promise.all(more.map((p) => waitForBoard(p.page)))
        const dragger = more[0]
        if (!dragger) throw new Error('openPeople returned no page')
        const observer = await connectSynced(server.syncUrl, `${workshop.id}/swot`)
        clients.push(observer)
        const label = 'Drag me'
        const dragId = 'shape:benchdrag'
        // In view of the dragging page: next to the first SWOT quadrant.
        await writer.write([geo(dragId, { x: 150, y: 150, parentId: BOARD_PAGE_ID }, 160, 100, label)])
        await waitFor(() => readRecords(observer.doc).has(dragId), 'the observer to see the shape to drag')
        opts.log(`browser: dragging for ${dragSeconds} s`)
        const result = await drag(dragger.page, observer, label, dragId, 150, dragSeconds)
        const note =
          `${result.mouseMoves} mouse moves (${(result.mouseMoves / result.seconds).toFixed(0)}/s); ` +
          `presence (awareness) updates seen by the observer: ${(result.awarenessUpdates / result.seconds).toFixed(1)}/s; ` +
          '4 pages + 2 Node providers'
        rows.push(row(dragScenario, 'document updates sent', 'per s', 'lower', { [COLUMN]: result.updates / result.seconds }, { informational: true, note }))
        rows.push(row(dragScenario, 'document updates per mouse move', 'ratio', 'lower', { [COLUMN]: result.updates / Math.max(1, result.mouseMoves) }, { informational: true }))
        rows.push(row(dragScenario, 'bytes per update', 'B', 'lower', { [COLUMN]: mean(result.bytes) }, { informational: true }))
        if (!result.moved) {
          warnings.push({ suite: 'browser', candidate: COLUMN, scenario: dragScenario, message: 'the observer did not see the dragged shape move' })
        }
        if (result.updates === 0) {
          warnings.push({ suite: 'browser', candidate: COLUMN, scenario: dragScenario, message: 'the observer saw no document update from the drag' })
        }
      }
      load = Math.max(load, busiest())
      if (load > availableParallelism()) {
        warnings.push({
          kind: 'noise',
          suite: 'browser',
          candidate: 'all',
          scenario: 'all',
          message: `the machine was busy: 1-minute load average up to ${load.toFixed(1)} on ${availableParallelism()} cores; absolute times are inflated, ratios less so`,
        })
      }
    } finally {
      for (const client of clients) client.destroy()
      for (const person of people) await person.context.close().catch(() => {})
      await browser?.close().catch(() => {})
      await server?.close().catch(() => {})
      await peer?.close().catch(() => {})
    }
    return { rows, warnings }
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await browserSuite.run({
    quick: process.env.BENCH_QUICK === '1',
    candidates: undefined,
    scenario: process.env.BENCH_SCENARIO,
    tmpDir: '',
    log: (m) => {
      process.stderr.write(`${m}\n`)
    },
  })
  for (const r of result.rows) {
    const values = Object.entries(r.values).map(([name, value]) => `${name} ${value}`).join(', ')
    console.log(`${r.scenario} | ${r.metric} (${r.unit}): ${values}${r.note ? ` (${r.note})` : ''}`)
  }
  for (const w of result.warnings) console.log(`warning: ${w.scenario}: ${w.message}`)
}
