import type { CDPSession } from 'playwright-core'
import { loadavg } from 'node:os'
import { launchBrowser } from '../test/helpers/browser.ts'
import { ensureClientBuilt } from '../test/helpers/buildClient.ts'
import { startServer } from '../test/helpers/startServer.ts'
import { openWatchedBoard, takeIn } from './browserProbe.ts'
import { batchShapes } from './suites/browser.ts'

/**
 * What the long tasks of a remote batch are made of, from Chromium's own trace (issue 14): for each
 * main-thread task of 50 ms or more (`RunTask`, category `toplevel`) the garbage collections inside
 * it (`MinorGC`, `MajorGC` and V8's finer `V8.GC_*` phases when present), the JavaScript it ran
 * (`FunctionCall`, `EvaluateScript`, `RunMicrotasks`), and the rendering (`UpdateLayoutTree`,
 * `Layout`, `Paint`, `Commit`, …), in ms. The trace inflates the tasks somewhat, so read the
 * shares, and the wall times of `abRemoteBatch.ts`.
 *
 * `GC_CLIENTS=name=/path/dist/client,... node --import tsx bench/gcTraceRemoteBatch.ts [rounds] [kinds]`
 * (kinds: `creates,moves`; without GC_CLIENTS this checkout's dist/client). `GC_IDLE_MS=20000`: the
 * page idles that long before each traced batch, as a watching teammate's page mostly does; V8's
 * memory reducer then shrinks its young generation, which back-to-back batches keep at its largest,
 * and a scavenge's pause follows that size (docs/sync-server-targets.md, seventeenth session).
 */

const rounds = Number(process.argv[2] ?? 2)
const kinds = (process.argv[3] ?? 'creates,moves').split(',')
const idleMs = Number(process.env.GC_IDLE_MS ?? 0)
const named = (process.env.GC_CLIENTS ?? '')
  .split(',')
  .filter((entry) => entry.includes('='))
  .map((entry) => entry.split('=') as [string, string]) // name=path, checked by the filter

interface TraceEvent {
  name: string
  ph: string
  ts: number
  dur?: number
  tid: number
  pid: number
  args?: Record<string, unknown>
}

async function tracing<T>(cdp: CDPSession, run: () => Promise<T>): Promise<{ result: T; events: TraceEvent[] }> {
  const events: TraceEvent[] = []
  // Trace events as CDP sends them (typed by playwright as string maps).
  const collect = (data: { value: Array<Record<string, unknown>> }) => {
    for (const e of data.value) events.push(e as unknown as TraceEvent) // CDP's trace events, typed by playwright as string maps
  }
  cdp.on('Tracing.dataCollected', collect)
  await cdp.send('Tracing.start', {
    traceConfig: {
      includedCategories: ['toplevel', 'v8', 'devtools.timeline', '__metadata', ...(process.env.GC_DETAIL ? ['disabled-by-default-v8.gc', 'cppgc', 'disabled-by-default-cppgc'] : [])],
      excludedCategories: ['*'],
    },
    transferMode: 'ReportEvents',
  })
  const result = await run()
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.end')
  await done
  cdp.off('Tracing.dataCollected', collect)
  return { result, events }
}

const GC = new Set(['MinorGC', 'MajorGC', 'ScavengeGC'])
const JS = new Set(['FunctionCall', 'EvaluateScript', 'RunMicrotasks', 'TimerFire', 'FireAnimationFrame', 'EventDispatch'])
const RENDER = new Set(['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'Commit', 'UpdateLayer', 'CompositeLayers', 'RecalculateStyles'])

/** The long tasks of the renderer's main thread, each with what it holds. */
function describe(events: TraceEvent[]): string[] {
  const main = events.find((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && events.some((t) => t.pid === e.pid && t.name === 'FunctionCall'))
  if (!main) return ['  (no renderer main thread in the trace)']
  const on = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X' && e.dur !== undefined)
  const tasks = on.filter((e) => e.name === 'ThreadControllerImpl::RunTask' || e.name === 'RunTask').filter((e) => (e.dur ?? 0) >= 50_000)
  const lines: string[] = []
  const allGcs = on.filter((e) => GC.has(e.name))
  const sum = (list: TraceEvent[]) => list.reduce((s, e) => s + (e.dur ?? 0), 0) / 1000
  lines.push(`  GCs in the batch: ${allGcs.map((e) => `${e.name === 'MajorGC' ? 'major' : 'minor'} ${((e.dur ?? 0) / 1000).toFixed(1)}`).join(', ')} (${sum(allGcs).toFixed(0)} ms)`)
  for (const task of tasks) {
    const end = task.ts + (task.dur ?? 0)
    const inside = on.filter((e) => e !== task && e.ts >= task.ts && e.ts < end)
    // Top-level children only (a GC inside a FunctionCall is counted as GC and also inside JS).
    const gcs = inside.filter((e) => GC.has(e.name))
    const js = inside.filter((e) => JS.has(e.name) && !inside.some((o) => o !== e && JS.has(o.name) && o.ts <= e.ts && o.ts + (o.dur ?? 0) >= e.ts + (e.dur ?? 0) && (o.ts < e.ts || (o.dur ?? 0) > (e.dur ?? 0))))
    const render = inside.filter((e) => RENDER.has(e.name))
    const gcText = gcs.map((e) => `${e.name === 'MajorGC' ? 'major' : 'minor'} ${((e.dur ?? 0) / 1000).toFixed(1)}${typeof e.args?.usedHeapSizeBefore === 'number' ? ` (${((e.args.usedHeapSizeBefore as number) / 1048576).toFixed(0)}→${(((e.args.usedHeapSizeAfter as number) ?? 0) / 1048576).toFixed(0)} MB)` : ''}`)
    if (process.env.GC_DETAIL) {
      // V8's phases inside each collection of the task (`disabled-by-default-v8.gc`), longest first.
      for (const gc of gcs) {
        const phases = new Map<string, number>()
        for (const e of on) if (e !== gc && e.ts >= gc.ts && e.ts < gc.ts + (gc.dur ?? 0) && !GC.has(e.name)) phases.set(e.name, (phases.get(e.name) ?? 0) + (e.dur ?? 0) / 1000)
        const top = [...phases].sort((x, y) => y[1] - x[1]).slice(0, 12)
        lines.push(`    in the ${((gc.dur ?? 0) / 1000).toFixed(0)} ms collection: ${top.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}`)
      }
    }
    lines.push(
      `  task ${((task.dur ?? 0) / 1000).toFixed(0)} ms: JS ${sum(js).toFixed(0)} (${js.map((e) => `${e.name} ${((e.dur ?? 0) / 1000).toFixed(0)}`).join(', ')}); GC ${sum(gcs).toFixed(0)} [${gcText.join(', ')}]; rendering ${sum(render).toFixed(0)} (${[...new Set(render.map((e) => e.name))].map((n) => `${n} ${sum(render.filter((e) => e.name === n)).toFixed(0)}`).join(', ')})`,
    )
  }
  return lines
}

await ensureClientBuilt()
const builds = named.length > 0 ? named : [['here', '']]
const browser = await launchBrowser()
try {
  const pages = []
  for (const [name, clientDir] of builds) {
    const server = await startServer({}, clientDir ? { clientDir } : {})
    const { writer, context, page } = await openWatchedBoard(server, browser, `GC ${name}`)
    pages.push({ name, server, writer, page, cdp: await context.newCDPSession(page) })
  }
  for (let round = 0; round <= rounds; round++) {
    for (const p of pages) {
      const shapes = batchShapes(`g${round}n`)
      const ids = shapes.map((s) => s.id)
      const moved = shapes.map((s) => ({ ...s, x: s.x + 15, y: s.y + 10 }))
      const steps = {
        creates: () => takeIn(p.page, () => p.writer.write(shapes), { ids, present: true }),
        moves: () => takeIn(p.page, () => p.writer.write(moved), { ids, present: true, x: moved.map((s) => s.x) }),
        deletes: () => takeIn(p.page, () => p.writer.remove(ids), { ids, present: false }),
      }
      for (const kind of ['creates', 'moves', 'deletes'] as const) {
        if (round === 0 || !kinds.includes(kind)) {
          await steps[kind]()
          continue
        }
        if (idleMs > 0) await p.page.waitForTimeout(idleMs)
        const { result, events } = await tracing(p.cdp, steps[kind])
        console.log(`\n== ${p.name} round ${round} load ${loadavg()[0]?.toFixed(1)}: 1,000 ${kind}: total ${result.totalMs.toFixed(1)} ms, longest task ${result.longestTaskMs.toFixed(0)} ms, ${result.merges} merges`)
        console.log(describe(events).join('\n'))
      }
    }
  }
  for (const p of pages) {
    p.writer.destroy()
    await p.server.close()
  }
} finally {
  await browser.close()
}
