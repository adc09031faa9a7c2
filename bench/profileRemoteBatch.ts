import { writeFileSync } from 'node:fs'
import type { CDPSession } from 'playwright-core'
import { launchBrowser } from '../test/helpers/browser.ts'
import { ensureClientBuilt } from '../test/helpers/buildClient.ts'
import { startServer } from '../test/helpers/startServer.ts'
import { openWatchedBoard, takeIn } from './browserProbe.ts'
import { addProfile, type CpuProfile } from './cpuProfile.ts'
import { batchShapes } from './suites/browser.ts'

/**
 * Where a Keyplan page spends a remote batch (issue 14): the browser bench's batch scenario
 * (`bench/suites/browser.ts`) for Keyplan alone, with Chromium's sampling profiler running
 * during each batch. Prints, per batch kind, the time taken (as the bench measures it) and the
 * functions with the most self and total time. Read names from an unminified build:
 * `node node_modules/vite/bin/vite.js build --minify false` first (into dist/client).
 *
 * `node --import tsx bench/profileRemoteBatch.ts [rounds]` (`PROFILE_TOP=60` for longer lists,
 * `PROFILE_DEBUG=1` for the page's console and navigations, `PROFILE_DUMP=<dir>` to keep each
 * batch's profile for Chromium's DevTools)
 */

const TOP = Number(process.env.PROFILE_TOP ?? 25)

const top = (map: Map<string, number>) =>
  [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, TOP)
    .map(([name, ms]) => `  ${ms.toFixed(1).padStart(7)} ms  ${name}`)
    .join('\n')

async function profiled<T>(cdp: CDPSession, run: () => Promise<T>): Promise<{ result: T; profile: CpuProfile }> {
  await cdp.send('Profiler.start')
  const result = await run()
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile } // CDP's Profiler.Profile
  return { result, profile }
}

const rounds = Number(process.argv[2] ?? 2)
await ensureClientBuilt()
const server = await startServer()
const browser = await launchBrowser()
try {
  const { writer, context, page } = await openWatchedBoard(server, browser, 'Profile')
  page.on('crash', () => console.error('page crashed'))
  page.on('console', (m) => process.env.PROFILE_DEBUG && console.error('console:', m.text()))
  page.on('framenavigated', (f) => process.env.PROFILE_DEBUG && console.error('navigated:', f.url()))
  const cdp = await context.newCDPSession(page)
  await cdp.send('Profiler.enable')
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 })
  for (let round = 0; round <= rounds; round++) {
    const shapes = batchShapes(`p${round}n`)
    const ids = shapes.map((s) => s.id)
    const moved = shapes.map((s) => ({ ...s, x: s.x + 15, y: s.y + 10 }))
    const steps = [
      ['creates', () => takeIn(page, () => writer.write(shapes), { ids, present: true })],
      ['moves', () => takeIn(page, () => writer.write(moved), { ids, present: true, x: moved.map((s) => s.x) })],
      ['deletes', () => takeIn(page, () => writer.remove(ids), { ids, present: false })],
    ] as const
    for (const [kind, step] of steps) {
      const { result, profile } = await profiled(cdp, step)
      if (round === 0) continue
      if (process.env.PROFILE_DUMP) writeFileSync(`${process.env.PROFILE_DUMP}/${kind}-${round}.cpuprofile`, JSON.stringify(profile))
      const { self, total, busy } = addProfile(profile)
      console.log(`\n== round ${round}: 1,000 ${kind}: total ${result.totalMs.toFixed(1)} ms, longest task ${result.longestTaskMs} ms, ${result.merges} merges, CPU busy in profile ${busy.toFixed(1)} ms`)
      console.log(`tasks of 50 ms or more (start after the first message received, duration): ${result.longTasks.map(([at, ms]) => `+${at.toFixed(0)} ${ms.toFixed(0)}`).join(', ') || 'none'}`)
      console.log(`self:\n${top(self)}\ntotal:\n${top(total)}`)
    }
  }
  writer.destroy()
} finally {
  await browser.close()
  await server.close()
}
