import type { TLShape } from '@tldraw/tlschema'
import { getIndices, type JsonObject } from '@tldraw/utils'
import type { Browser, Page } from 'playwright-core'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { openBoard, type BoardClient } from '../../test/helpers/boardClients.ts'
import { launchBrowser, openPeople, shapeWithText, waitForBoard, type Person } from '../../test/helpers/browser.ts'
import { ensureClientBuilt } from '../../test/helpers/buildClient.ts'
import { connectSynced, waitFor, type TestClient } from '../../test/helpers/clients.ts'
import { geo, note } from '../../test/helpers/planBoards.ts'
import { startServer, type TestServer } from '../../test/helpers/startServer.ts'
import { mean, median } from '../stats.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

/**
 * In-browser benchmarks (issue 3) against the real server (in-process, `test/helpers/startServer.ts`)
 * and the real built client in headless Chromium, launched like the e2e tests:
 *
 * 1. Remote batch: a page has the SWOT board open; a Node `y-websocket` client (team token) writes
 *    1,000 shape changes in one Yjs transaction (`writeRecordChanges`). The page's binding times
 *    its apply into the tldraw store as the User Timing measure `keyplan:apply-remote`
 *    (`client/board/bindStoreToYDoc.ts`), read with `performance.getEntriesByName`.
 * 2. Drag: one page drags a shape with the mouse (many small `mouse.move` steps) while 3 other
 *    pages and 2 Node providers are connected (5 other clients); one of the providers counts the
 *    document updates relayed by the server (`doc.on('update')`) and their bytes.
 *
 * Runnable alone: `node --import tsx bench/suites/browser.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const COLUMN = 'keyplan'
const BATCH = 1_000
const APPLY_MEASURE = 'keyplan:apply-remote'
const WAIT_MS = 60_000

/** A shape id of the benchmark (`shape:` + a fixed-width name, so ids sort like their numbers). */
const shapeId = (prefix: string, i: number) => `shape:${prefix}${String(i).padStart(5, '0')}`

/** `BATCH` notes and geo shapes in a grid on the board's page, ids `shape:<prefix>NNNNN`. */
function batchShapes(prefix: string): TLShape[] {
  const indices = getIndices(BATCH + 1).slice(1)
  return Array.from({ length: BATCH }, (_, i) => {
    const at = { x: 2_000 + (i % 40) * 220, y: 2_000 + Math.floor(i / 40) * 220, parentId: BOARD_PAGE_ID }
    const shape = i % 2 === 0 ? note(shapeId(prefix, i), at, `Note ${i}`) : geo(shapeId(prefix, i), at, 200, 150, `Box ${i}`)
    return { ...shape, index: indices[i] } as TLShape // getIndices returns BATCH + 1 keys
  })
}

const asJson = (shapes: readonly TLShape[]) => shapes.map((s) => s as unknown as JsonObject) // tldraw records are JSON

/** Measures `keyplan:apply-remote` the page has recorded so far, as [records, ms]. */
function applyMeasures(page: Page): Promise<Array<[number, number]>> {
  return page.evaluate((name) => {
    return performance.getEntriesByName(name).map((e) => {
      const detail = (e as PerformanceMeasure).detail as { records?: number } | null
      return [detail?.records ?? 0, e.duration] as [number, number]
    })
  }, APPLY_MEASURE)
}

/** Writes `changes` in one transaction and returns the page's measure of applying them (ms). */
async function timedRemoteBatch(page: Page, writer: BoardClient, put: readonly TLShape[], remove: readonly string[]): Promise<number> {
  const before = (await applyMeasures(page)).length
  writeRecordChanges(writer.doc, { put: asJson(put), remove: [...remove] })
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    const measures = await applyMeasures(page)
    const fresh = measures.slice(before)
    const batch = fresh.find(([records]) => records >= BATCH)
    if (batch) return batch[1]
    if (Date.now() > deadline) throw new Error(`the page recorded no ${APPLY_MEASURE} of ${BATCH} records within ${WAIT_MS} ms`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

interface ApplyResult {
  create: number[]
  update: number[]
  remove: number[]
}

async function applyBatches(page: Page, writer: BoardClient, rounds: number, log: (m: string) => void): Promise<ApplyResult> {
  const result: ApplyResult = { create: [], update: [], remove: [] }
  // Round 0 warms up the page (JIT, tldraw's shape utils), and is not reported.
  for (let round = 0; round <= rounds; round++) {
    log(`browser: remote batches, round ${round}/${rounds}${round === 0 ? ' (warm-up)' : ''}`)
    const shapes = batchShapes(`r${round}n`)
    const created = await timedRemoteBatch(page, writer, shapes, [])
    const moved = shapes.map((s) => ({ ...s, x: s.x + 15, y: s.y + 10 }))
    const updated = await timedRemoteBatch(page, writer, moved, [])
    const removed = await timedRemoteBatch(page, writer, [], shapes.map((s) => s.id))
    if (round === 0) continue
    result.create.push(created)
    result.update.push(updated)
    result.remove.push(removed)
  }
  return result
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
    'The real server (in-process) and the real built client in headless Chromium (flags as the e2e tests). ' +
    `Remote batch: a page has the SWOT board open; a Node y-websocket client (team token) writes ${BATCH.toLocaleString('en')} ` +
    'shapes (half notes, half geo) in one Yjs transaction, then moves all of them in one transaction, then removes them; ' +
    'the page\'s binding times each apply into the tldraw store (User Timing `keyplan:apply-remote` in ' +
    '`client/board/bindStoreToYDoc.ts`: migrate, validate and `store.put` inside `mergeRemoteChanges`, not the React ' +
    'render that follows). Median of several rounds after one warm-up round. Drag: one page drags a geo shape with the ' +
    'mouse (playwright `mouse.move` of 2 px about every 8 ms) while 3 other pages and 2 Node providers are connected; ' +
    'one of the providers counts the document updates the server relays (`doc.on(\'update\')`) and their bytes ' +
    '(the Yjs update, without the sync message header of 3 to 4 bytes). Updates per second follow the rate of mouse moves, ' +
    'which playwright delivers one at a time, each waiting for the page\'s frame: on a 2-core machine with 4 software-rendered ' +
    'pages that is far below a real mouse (~60/s and more), so updates per mouse move is the figure that carries over. ' +
    'Single column: there is no peer to compare with.',
  columns: [COLUMN],
  baseline: COLUMN,
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const rows: Row[] = []
    const warnings: Warning[] = []
    const wanted = (scenario: string) => !opts.scenario || scenario.includes(opts.scenario)
    const rounds = opts.quick ? 3 : 7
    const dragSeconds = opts.quick ? 3 : 10
    const applyScenario = `remote batch of ${BATCH.toLocaleString('en')} shape changes in one transaction`
    const dragScenario = `drag one shape for ${dragSeconds} s, 5 other clients connected`
    const row = (scenario: string, metric: string, unit: string, better: Row['better'], value: number, extra: Partial<Row> = {}): Row => ({
      suite: 'browser',
      scenario,
      metric,
      unit,
      better,
      values: { [COLUMN]: Math.round(value * 100) / 100 },
      ...extra,
    })
    if (opts.candidates && !opts.candidates.includes(COLUMN)) return { rows, warnings }

    let server: TestServer | undefined
    let browser: Browser | undefined
    const clients: TestClient[] = []
    const people: Person[] = []
    try {
      opts.log('browser: building the client (if stale), starting the server and Chromium')
      await ensureClientBuilt()
      server = await startServer()
      browser = await launchBrowser()
      const workshop = await server.createWorkshop({ account: 'Bench Corp', title: 'Browser bench' })
      const boardUrl = `${server.url}/w/${workshop.id}/swot`
      const writer = await openBoard(server, workshop.id, 'swot', 'Bench Writer')
      clients.push(writer)
      const [viewer] = await openPeople(browser, boardUrl, ['Vera Viewer'])
      if (!viewer) throw new Error('openPeople returned no page')
      people.push(viewer)
      await waitForBoard(viewer.page)

      if (wanted(applyScenario)) {
        const applied = await applyBatches(viewer.page, writer, rounds, opts.log)
        const note = `median of ${rounds} rounds; the measure covers the binding's apply into the store, not rendering`
        rows.push(row(applyScenario, `apply ${BATCH.toLocaleString('en')} creates`, 'ms', 'lower', median(applied.create), { informational: true, note }))
        rows.push(row(applyScenario, `apply ${BATCH.toLocaleString('en')} moves`, 'ms', 'lower', median(applied.update), { informational: true }))
        rows.push(row(applyScenario, `apply ${BATCH.toLocaleString('en')} deletes`, 'ms', 'lower', median(applied.remove), { informational: true }))
      }

      if (wanted(dragScenario)) {
        // 4 pages (the dragging one, the viewer and 2 more) + the writer + an observer: the
        // dragging page and 5 other clients. Node providers instead of more pages: the machine
        // the bench runs on may have 2 cores, and each page renders the drag.
        const more = await openPeople(browser, boardUrl, ['Dora Dragger', 'Olga Other', 'Otto Other'])
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
        rows.push(row(dragScenario, 'document updates sent', 'per s', 'lower', result.updates / result.seconds, { informational: true, note }))
        rows.push(row(dragScenario, 'document updates per mouse move', 'ratio', 'lower', result.updates / Math.max(1, result.mouseMoves), { informational: true }))
        rows.push(row(dragScenario, 'bytes per update', 'B', 'lower', mean(result.bytes), { informational: true }))
        if (!result.moved) {
          warnings.push({ suite: 'browser', candidate: COLUMN, scenario: dragScenario, message: 'the observer did not see the dragged shape move' })
        }
        if (result.updates === 0) {
          warnings.push({ suite: 'browser', candidate: COLUMN, scenario: dragScenario, message: 'the observer saw no document update from the drag' })
        }
      }
    } finally {
      for (const client of clients) client.destroy()
      for (const person of people) await person.context.close().catch(() => {})
      await browser?.close().catch(() => {})
      await server?.close().catch(() => {})
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
  for (const r of result.rows) console.log(`${r.scenario} | ${r.metric}: ${r.values[COLUMN]} ${r.unit}${r.note ? ` (${r.note})` : ''}`)
  for (const w of result.warnings) console.log(`warning: ${w.scenario}: ${w.message}`)
}
