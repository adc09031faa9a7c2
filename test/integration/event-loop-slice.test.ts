import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { afterEach, expect, test, vi } from 'vitest'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { sliceIn } from '../helpers/schedSlice.ts'
import { tempDataDir } from '../helpers/startServer.ts'

/** The slice (ns) the scheduler gives each thread of `pid`, from /proc (kernels with per-task slices). */
function threadSlices(pid: number): Map<number, number> {
  const slices = new Map<number, number>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const slice = sliceIn(fs.readFileSync(`/proc/${pid}/task/${tid}/sched`, 'utf8'))
    if (!Number.isNaN(slice)) slices.set(Number(tid), slice)
  }
  return slices
}

// Linux 6.12+ shows each thread's slice; elsewhere the server only logs why it left the default.
const kernelShowsSlices = process.platform === 'linux' && fs.existsSync('/proc/self/sched') && !Number.isNaN(sliceIn(fs.readFileSync('/proc/self/sched', 'utf8')))

let child: ChildServer | undefined
afterEach(async () => {
  child?.process.kill('SIGTERM')
  await child?.exited
  child = undefined
})

test.runIf(kernelShowsSlices)('the event loop thread, and it alone, runs in slices of EVENT_LOOP_SLICE_US [S25]', async () => {
  child = await startChildServer({ DATA_DIR: tempDataDir(), EVENT_LOOP_SLICE_US: '250', LOG_LEVEL: 'info' })
  const pid = child.process.pid ?? 0
  const slices = threadSlices(pid)
  expect(slices.get(pid)).toBe(250_000)
  const others = [...slices].filter(([tid]) => tid !== pid)
  expect(others.length).toBeGreaterThanOrEqual(8)
  for (const [, slice] of others) expect(slice).not.toBe(250_000)
  // Logged right after the `listening on` line the helper waits for.
  await vi.waitFor(() => expect(child?.stderr()).toMatch(/server\.event_loop_slice us=250 kernelDefaultUs=\d+/))
})

test.runIf(kernelShowsSlices)('EVENT_LOOP_SLICE_US=0 leaves the kernel default, and says so', async () => {
  child = await startChildServer({ DATA_DIR: tempDataDir(), EVENT_LOOP_SLICE_US: '0', LOG_LEVEL: 'info' })
  const pid = child.process.pid ?? 0
  const slices = threadSlices(pid)
  expect(new Set(slices.values())).toEqual(new Set([slices.get(pid)]))
  await vi.waitFor(() => expect(child?.stderr()).toMatch(/server\.event_loop_slice_unchanged reason=.*EVENT_LOOP_SLICE_US=0/))
})

test.runIf(kernelShowsSlices)('threads and processes started after the request keep the kernel default [S25]', () => {
  const probe = path.resolve(import.meta.dirname, '../helpers/sliceProbe.ts')
  const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', probe, '300'], { encoding: 'utf8' })) as {
    result: { applied: boolean }
    main: number
    workerThreads: number[]
    child: number
  }
  expect(out.result.applied).toBe(true)
  expect(out.main).toBe(300_000)
  expect(out.workerThreads.length).toBeGreaterThan(0)
  for (const slice of [...out.workerThreads, out.child]) expect(slice).not.toBe(300_000)
})
