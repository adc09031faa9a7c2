/**
 * Preloaded (through NODE_OPTIONS, by bench/memory/breakdown.ts only) into a server under test:
 * on SIGUSR2, after a forced GC, writes what the process's memory is made of as V8 and Node see it
 * to `$MEM_REPORT_DIR/<pid>.json`, for the breakdown beside /proc/<pid>/smaps.
 */
import { writeFileSync } from 'node:fs'
import v8 from 'node:v8'

const dir = process.env.MEM_REPORT_DIR
process.on('SIGUSR2', () => {
  globalThis.gc?.()
  if (!dir) return
  const report = {
    memoryUsage: process.memoryUsage(),
    heap: v8.getHeapStatistics(),
    spaces: v8.getHeapSpaceStatistics(),
    code: v8.getHeapCodeStatistics(),
  }
  writeFileSync(`${dir}/${process.pid}.json`, JSON.stringify(report))
})
// SIGWINCH (unused by a server without a terminal): a heap snapshot into the same directory.
process.on('SIGWINCH', () => {
  if (dir) v8.writeHeapSnapshot(`${dir}/${process.pid}-${Date.now()}.heapsnapshot`)
})
