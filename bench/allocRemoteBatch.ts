import type { CDPSession } from 'playwright-core'
import { loadavg } from 'node:os'
import { launchBrowser } from '../test/helpers/browser.ts'
import { ensureClientBuilt } from '../test/helpers/buildClient.ts'
import { startServer } from '../test/helpers/startServer.ts'
import { openWatchedBoard, takeIn } from './browserProbe.ts'
import { batchShapes } from './suites/browser.ts'

/**
 * What a Keyplan page allocates while it takes in a remote batch of 1,000 new shapes (issue 14:
 * its long tasks are garbage collections inside a slice, so the lever is allocation). Unlike time,
 * bytes allocated hardly move with the shared machine's load. Chromium's sampling heap profiler
 * runs during each create batch, counting objects collected since (by minor and major GCs) too;
 * prints per build the MB allocated, the page's main-thread CPU time (`ThreadTime`), the GCs V8
 * reported (the `v8` trace category's `MinorGC`/`MajorGC` events), and the functions that
 * allocated most, self and with what they call. Builds are interleaved round by round, as in `abRemoteBatch.ts`.
 * Read names from an unminified build (`vite build --minify false`).
 *
 * `ALLOC_CLIENTS=name=/path/dist/client,... node --import tsx bench/allocRemoteBatch.ts [rounds]`
 * (without it, this checkout's dist/client; `ALLOC_TOP=40` for longer lists, `ALLOC_TOP=0` for none;
 * `ALLOC_TREE=applyToStore,beginWork ALLOC_DEPTH=3` for what those functions' callees allocate,
 * `ALLOC_CALLERS=maybeCaptureParent` for whose calls of those functions allocate).
 * `ALLOC_LIVE=1`: what the batch leaves alive instead, by where it was allocated: objects collected
 * are left out and a full collection runs before the profile is read. That is what a
 * young-generation scavenge during the batch has to copy (once within the young generation, once
 * into the old), so what sets its pause (docs/sync-server-targets.md, seventeenth session).
 */

const rounds = Number(process.argv[2] ?? 3)
const TOP = Number(process.env.ALLOC_TOP ?? 20)
const LIVE = process.env.ALLOC_LIVE === '1'
const named = (process.env.ALLOC_CLIENTS ?? '')
  .split(',')
  .filter((entry) => entry.includes('='))
  .map((entry) => entry.split('=') as [string, string]) // name=path, checked by the filter

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number }
  selfSize: number
  children: SamplingNode[]
}

/**
 * The callees of every function named `name` (its name starts so) in `root`, merged, `depth`
 * levels down, with their total bytes.
 */
function callees(root: SamplingNode, name: string, depth: number): string[] {
  type Merged = { bytes: number; children: Map<string, Merged> }
  const key = (n: SamplingNode) => `${n.callFrame.functionName || '(anonymous)'} :${n.callFrame.lineNumber + 1}`
  const size = (n: SamplingNode): number => n.children.reduce((sum, c) => sum + size(c), n.selfSize)
  const merged: Merged = { bytes: 0, children: new Map() }
  const add = (into: Merged, node: SamplingNode, left: number) => {
    into.bytes += size(node)
    if (left === 0) return
    for (const child of node.children) {
      const k = key(child)
      const at = into.children.get(k) ?? { bytes: 0, children: new Map() }
      into.children.set(k, at)
      add(at, child, left - 1)
    }
  }
  const find = (node: SamplingNode) => {
    if (key(node).startsWith(name)) return add(merged, node, depth)
    for (const child of node.children) find(child)
  }
  find(root)
  const lines: string[] = [`${mb(merged.bytes).padStart(7)} MB  ${name}`]
  const print = (m: Merged, indent: string) => {
    for (const [k, c] of [...m.children].sort((a, b) => b[1].bytes - a[1].bytes)) {
      if (c.bytes < 0.05 * 1048576) continue
      lines.push(`${mb(c.bytes).padStart(7)} MB  ${indent}${k}`)
      print(c, `${indent}  `)
    }
  }
  print(merged, '  ')
  return lines
}

/** Who allocates through `name` (self bytes of functions named so, by their callers `depth` levels up). */
function callers(root: SamplingNode, name: string, depth: number): string[] {
  const key = (n: SamplingNode) => `${n.callFrame.functionName || '(anonymous)'} :${n.callFrame.lineNumber + 1}`
  const by = new Map<string, number>()
  const walk = (node: SamplingNode, stack: string[]) => {
    const k = key(node)
    if (k.startsWith(name) && node.selfSize > 0) {
      const chain = stack.slice(-depth).reverse().join(' < ')
      by.set(chain, (by.get(chain) ?? 0) + node.selfSize)
    }
    stack.push(k)
    for (const child of node.children) walk(child, stack)
    stack.pop()
  }
  walk(root, [])
  return [`callers of ${name}:`, ...[...by].sort((a, b) => b[1] - a[1]).slice(0, 15).map(([chain, bytes]) => `${mb(bytes).padStart(7)} MB  ${chain}`)]
}

/** Self and total bytes per function (name, file, line) of a sampling heap profile. */
function sums(root: SamplingNode): { self: Map<string, number>; total: Map<string, number>; all: number } {
  const self = new Map<string, number>()
  const total = new Map<string, number>()
  let all = 0
  const key = (n: SamplingNode) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.split('/').at(-1) ?? ''}:${n.callFrame.lineNumber + 1}`
  const walk = (node: SamplingNode, onStack: Set<string>): number => {
    const name = key(node)
    self.set(name, (self.get(name) ?? 0) + node.selfSize)
    all += node.selfSize
    const nested = onStack.has(name)
    if (!nested) onStack.add(name)
    let size = node.selfSize
    for (const child of node.children) size += walk(child, onStack)
    if (!nested) {
      onStack.delete(name)
      total.set(name, (total.get(name) ?? 0) + size)
    }
    return size
  }
  walk(root, new Set())
  return { self, total, all }
}

const mb = (bytes: number) => (bytes / 1048576).toFixed(1)
const top = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([name, bytes]) => `  ${mb(bytes).padStart(7)} MB  ${name}`)
    .join('\n')

/** Counts the `MinorGC`/`MajorGC` trace events (and their ms) while `run` runs. */
async function countingGcs<T>(cdp: CDPSession, run: () => Promise<T>): Promise<{ result: T; minor: [number, number]; major: [number, number] }> {
  const events: Array<{ name: string; dur?: number }> = []
  // Trace events as CDP sends them (typed by playwright as string maps; `dur` is a number, µs).
  const collect = (data: { value: Array<Record<string, unknown>> }) => {
    for (const e of data.value) events.push({ name: String(e.name), dur: typeof e.dur === 'number' ? e.dur : undefined })
  }
  cdp.on('Tracing.dataCollected', collect)
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: ['v8', 'devtools.timeline'], excludedCategories: ['*'] }, transferMode: 'ReportEvents' })
  const result = await run()
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()))
  await cdp.send('Tracing.end')
  await done
  cdp.off('Tracing.dataCollected', collect)
  const of = (names: string[]): [number, number] => {
    const matched = events.filter((e) => names.includes(e.name) && e.dur !== undefined)
    return [matched.length, matched.reduce((sum, e) => sum + (e.dur ?? 0) / 1000, 0)]
  }
  return { result, minor: of(['MinorGC', 'ScavengeGC']), major: of(['MajorGC']) }
}

/** The page's `Performance.getMetrics`, by name. */
async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }
  return Object.fromEntries(list.map((m) => [m.name, m.value]))
}

await ensureClientBuilt()
const builds = named.length > 0 ? named : [['here', '']]
const browser = await launchBrowser()
const pages = []
try {
  for (const [name, clientDir] of builds) {
    const server = await startServer({}, clientDir ? { clientDir } : {})
    const { writer, context, page } = await openWatchedBoard(server, browser, `Alloc ${name}`)
    const cdp = await context.newCDPSession(page)
    await cdp.send('HeapProfiler.enable')
    await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
    pages.push({ name, server, writer, page, cdp, results: [] as Array<{ mb: number; minor: [number, number]; major: [number, number]; total: number; longest: number; cpu: number; script: number }>, self: new Map<string, number>(), total: new Map<string, number>() })
  }
  for (let round = 0; round <= rounds; round++) {
    for (const p of pages) {
      const shapes = batchShapes(`a${round}n`)
      const ids = shapes.map((s) => s.id)
      await p.cdp.send('HeapProfiler.collectGarbage')
      await p.cdp.send('HeapProfiler.startSampling', { samplingInterval: 8192, includeObjectsCollectedByMajorGC: !LIVE, includeObjectsCollectedByMinorGC: !LIVE })
      const before = await metrics(p.cdp)
      const { result, minor, major } = await countingGcs(p.cdp, () => takeIn(p.page, () => p.writer.write(shapes), { ids, present: true }))
      const after = await metrics(p.cdp)
      // The page's main-thread CPU time and script time for the batch (s → ms): unlike wall time, hardly moved by other processes.
      const cpu = ((after.ThreadTime ?? 0) - (before.ThreadTime ?? 0)) * 1000
      const script = ((after.ScriptDuration ?? 0) - (before.ScriptDuration ?? 0)) * 1000
      if (LIVE) await p.cdp.send('HeapProfiler.collectGarbage')
      const { profile } = (await p.cdp.send('HeapProfiler.stopSampling')) as unknown as { profile: { head: SamplingNode } } // CDP's SamplingHeapProfile
      await takeIn(p.page, () => p.writer.remove(ids), { ids, present: false })
      if (round === 0) continue
      for (const name of (process.env.ALLOC_TREE ?? '').split(',').filter(Boolean)) console.log(callees(profile.head, name, Number(process.env.ALLOC_DEPTH ?? 3)).join('\n'))
      for (const name of (process.env.ALLOC_CALLERS ?? '').split(',').filter(Boolean)) console.log(callers(profile.head, name, Number(process.env.ALLOC_DEPTH ?? 3)).join('\n'))
      const s = sums(profile.head)
      for (const [k, v] of s.self) p.self.set(k, (p.self.get(k) ?? 0) + v / rounds)
      for (const [k, v] of s.total) p.total.set(k, (p.total.get(k) ?? 0) + v / rounds)
      p.results.push({ mb: s.all / 1048576, minor, major, total: result.totalMs, longest: result.longestTaskMs, cpu, script })
      console.log(
        `round ${round} load ${loadavg()[0]?.toFixed(1)} ${p.name}: ${mb(s.all)} MB ${LIVE ? 'left alive' : 'allocated'}, minor GCs ${minor[0]} (${minor[1].toFixed(0)} ms), major ${major[0]} (${major[1].toFixed(0)} ms), main-thread CPU ${cpu.toFixed(0)} ms (script ${script.toFixed(0)}), total ${result.totalMs.toFixed(0)} ms, longest task ${result.longestTaskMs.toFixed(0)} ms, ${result.merges} merges`,
      )
    }
  }
  for (const p of pages) {
    const sorted = (f: (r: (typeof p.results)[number]) => number) => p.results.map(f).sort((a, b) => a - b)
    const med = (xs: number[]) => xs[Math.floor((xs.length - 1) / 2)] ?? Number.NaN
    console.log(
      `\n== ${p.name}: median of ${p.results.length}: ${med(sorted((r) => r.mb)).toFixed(1)} MB (${sorted((r) => r.mb).map((x) => x.toFixed(1)).join(' ')}), minor GCs ${med(sorted((r) => r.minor[0]))} (${med(sorted((r) => r.minor[1])).toFixed(0)} ms), major ${med(sorted((r) => r.major[0]))} (${med(sorted((r) => r.major[1])).toFixed(0)} ms), main-thread CPU ${med(sorted((r) => r.cpu)).toFixed(0)} ms (${sorted((r) => r.cpu).map((x) => x.toFixed(0)).join(' ')}), script ${med(sorted((r) => r.script)).toFixed(0)} ms, total ${med(sorted((r) => r.total)).toFixed(0)} ms, longest task ${med(sorted((r) => r.longest)).toFixed(0)} ms`,
    )
    if (TOP > 0) console.log(`self (mean per batch):\n${top(p.self)}\ntotal:\n${top(p.total)}`)
  }
} finally {
  for (const p of pages) p.writer.destroy()
  await browser.close()
  for (const p of pages) await p.server.close()
}
