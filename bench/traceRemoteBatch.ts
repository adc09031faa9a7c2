import type { Page } from 'playwright-core'
import { loadavg } from 'node:os'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS } from '../test/helpers/browser.ts'
import { ensureClientBuilt } from '../test/helpers/buildClient.ts'
import { startServer } from '../test/helpers/startServer.ts'
import { openWatchedBoard, takeIn } from './browserProbe.ts'
import { batchShapes } from './suites/browser.ts'

/**
 * Which tasks of a remote batch are long, and what they hold (issue 14): the browser bench's batch
 * scenario for Keyplan alone, with the page recording each store merge (start, end, records, end
 * of React's render queued by it) and each frame's start. For each batch prints every task of
 * 50 ms or more (Long Tasks API) with what it holds: websocket messages, a frame (a
 * `requestAnimationFrame` callback ran in it), slices; then every slice's records and cost. Light
 * enough not to change the page's timing much (a Chromium trace doubled the tasks' length).
 *
 * `node --import tsx bench/traceRemoteBatch.ts [rounds] [kinds]` (kinds: `creates,moves,deletes`)
 */

const rounds = Number(process.argv[2] ?? 3)
const kinds = (process.argv[3] ?? 'creates,moves').split(',')

declare global {
  interface Window {
    slices: Array<[number, number, number, number, number, number, number]>
    frameStarts: number[]
  }
}

/** Records each merge as [start, end, records, end of the render it queued] and each frame's start. */
async function marksMerges(page: Page): Promise<void> {
  // A string, not a function: the bench runs under tsx, whose helpers (`__name`) the page lacks.
  await page.evaluate(`(() => {
    window.slices = []
    window.frameStarts = []
    const frame = (at) => {
      window.frameStarts.push(at)
      if (window.frameStarts.length > 20000) window.frameStarts.splice(0, 10000)
      requestAnimationFrame(frame)
    }
    requestAnimationFrame(frame)
    const store = window.testEditor.store
    const merge = store.mergeRemoteChanges.bind(store)
    store.mergeRemoteChanges = (fn) => {
      let records = 0
      const put = store.put.bind(store)
      store.put = (r, phase) => {
        records += r.length
        put(r, phase)
      }
      const heap = () => performance.memory ? performance.memory.usedJSHeapSize / 1048576 : 0
      const start = performance.now()
      const heapAtStart = heap()
      try {
        merge(fn)
      } finally {
        store.put = put
        const slice = [start, performance.now(), records, 0, heapAtStart, heap(), 0]
        window.slices.push(slice)
        // Queued after React's render of the change (see bindStoreToYDoc's afterRender).
        queueMicrotask(() => {
          slice[3] = performance.now()
          slice[6] = heap()
        })
      }
    }
  })()`)
}

/** Each long task of the batch, told apart by what it holds. */
async function describe(page: Page, mark: { slices: number; tasks: number; messages: number }): Promise<string[]> {
  const { slices, tasks, messages, frames } = await page.evaluate((m) => ({
    slices: window.slices.slice(m.slices),
    tasks: window.probe.tasks.slice(m.tasks),
    messages: window.probe.messages.slice(m.messages),
    frames: window.frameStarts,
  }), mark)
  const start = messages[0]?.[0] ?? 0
  const lines: string[] = []
  for (const [at, dur] of tasks) {
    if (at + 1 < start) continue
    const end = at + dur
    const inside = slices.filter(([s]) => s >= at && s < end)
    const msgs = messages.filter(([t]) => t >= at - 1 && t < end)
    const frame = frames.some((f) => f >= at - 1 && f < end)
    // The JS heap (MB) at the slice's start, after the store's work and after React's render: a
    // drop means a garbage collection ran in that part.
    // The heap after the slice before shows a collection between the two (the work before the store change included).
    const what = inside.map(
      ([s, e, n, r, h0, h1, h2]) =>
        `slice of ${n} at +${(s - at).toFixed(0)}: store ${(e - s).toFixed(0)} ms, render ${(r - e).toFixed(0)} ms, after ${(end - r).toFixed(0)} ms; heap ${(slices[slices.findIndex((x) => x[0] === s) - 1]?.[6] ?? 0).toFixed(1)} | ${h0.toFixed(1)} → ${h1.toFixed(1)} → ${h2.toFixed(1)} MB`,
    )
    lines.push(`  +${(at - start).toFixed(0).padStart(5)} ${dur.toFixed(0).padStart(4)} ms ${msgs.length > 0 ? `ws messages ${msgs.length} (${msgs.map(([, b]) => b).join(', ')} B) ` : ''}${frame ? 'frame ' : ''}${what.join('; ')}`)
  }
  const sizes = slices.map(([, , n]) => n)
  const costs = slices.map(([s, , , r]) => (r - s).toFixed(0))
  lines.push(`  slices: ${sizes.join(' ')}\n  their store+render ms: ${costs.join(' ')}`)
  if (slices[0]) lines.push(`  first slice starts +${(slices[0][0] - start).toFixed(0)} ms after the first message`)
  return lines
}

await ensureClientBuilt()
const server = await startServer()
// The project's flags, and the JS heap's size unrounded (performance.memory).
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'] })
try {
  const { writer, page } = await openWatchedBoard(server, browser, 'Trace')
  await marksMerges(page)
  for (let round = 0; round <= rounds; round++) {
    const shapes = batchShapes(`t${round}n`)
    const ids = shapes.map((s) => s.id)
    const moved = shapes.map((s) => ({ ...s, x: s.x + 15, y: s.y + 10 }))
    const steps = {
      creates: () => takeIn(page, () => writer.write(shapes), { ids, present: true }),
      moves: () => takeIn(page, () => writer.write(moved), { ids, present: true, x: moved.map((s) => s.x) }),
      deletes: () => takeIn(page, () => writer.remove(ids), { ids, present: false }),
    }
    for (const kind of ['creates', 'moves', 'deletes'] as const) {
      const mark = await page.evaluate(() => ({ slices: window.slices.length, tasks: window.probe.tasks.length, messages: window.probe.messages.length }))
      const result = await steps[kind]()
      if (round === 0 || !kinds.includes(kind)) continue
      console.log(`\n== round ${round} load ${loadavg()[0]?.toFixed(1)}: 1,000 ${kind}: total ${result.totalMs.toFixed(1)} ms, longest task ${result.longestTaskMs.toFixed(0)} ms, ${result.merges} merges; tasks of 50 ms or more:`)
      console.log((await describe(page, mark)).join('\n'))
    }
  }
  writer.destroy()
} finally {
  await browser.close()
  await server.close()
}
