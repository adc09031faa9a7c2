import { loadavg } from 'node:os'
import { launchBrowser } from '../test/helpers/browser.ts'
import { startServer } from '../test/helpers/startServer.ts'
import { openWatchedBoard, takeIn } from './browserProbe.ts'
import { batchShapes } from './suites/browser.ts'

/**
 * What a pan costs on a page showing 2,000 shapes (issue 14: a change to how tldraw places culled
 * shapes must not make panning dearer): per build, 60 camera steps of 110 px across the bench's
 * board, most of them changing the set of culled shapes, timed around `setCamera` (tldraw's
 * reactions to it, synchronous), a frame between steps; builds interleaved round by round.
 *
 * `PAN_CLIENTS=base=/path/dist/client,new=/path2/dist/client node --import tsx bench/panAcrossBoard.ts [rounds]`
 */

const builds = (process.env.PAN_CLIENTS ?? '').split(',').map((e) => e.split('=') as [string, string])
const browser = await launchBrowser()
const pages = []
for (const [name, clientDir] of builds) {
  const server = await startServer({}, { clientDir })
  const { writer, page } = await openWatchedBoard(server, browser, `pan ${name}`)
  for (const p of ['a', 'b']) {
    const shapes = batchShapes(p)
    await takeIn(page, () => writer.write(shapes.map((s) => ({ ...s, y: s.y + (p === 'b' ? 6000 : 0) }))), { ids: shapes.map((s) => s.id), present: true })
  }
  pages.push({ name, page })
}
const res: Record<string, number[]> = {}
for (let round = 0; round < Number(process.argv[2] ?? 5); round++) {
  for (const { name, page } of pages) {
    // Pans across the 2,000-shape board in steps of 110 px (half a column): each step changes the culled set.
    const ms = await page.evaluate(`(async () => {
      const e = window.testEditor
      e.setCamera({ x: -1500, y: -1800, z: 1 })
      await new Promise((r) => requestAnimationFrame(() => r()))
      let total = 0, changes = 0
      for (let i = 0; i < 60; i++) {
        const before = e.getCulledShapes()
        const t = performance.now()
        e.setCamera({ x: -1500 - i * 110, y: -1800 - (i % 7) * 110, z: 1 })
        total += performance.now() - t
        if (e.getCulledShapes() !== before) changes++
        await new Promise((r) => requestAnimationFrame(() => r()))
      }
      return [total, changes]
    })()`) as [number, number]
    ;(res[name] ??= []).push(ms[0])
    if (round === 0) console.log(name, 'culled-set changes', ms[1])
  }
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)] ?? 0
for (const [n, v] of Object.entries(res)) console.log(`${n}: 60 pan steps, setCamera ms total median ${med(v).toFixed(1)} [${v.map((x) => x.toFixed(0)).join(' ')}] load ${loadavg()[0]?.toFixed(1)}`)
await browser.close()
process.exit(0)
