/**
 * Run as its own process by test/integration/event-loop-slice.test.ts: asks for the slice given as
 * argument, then starts a worker thread and a child process, and prints as JSON the result and the
 * slice (ns) of the main thread, the worker's threads and the child.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import { Worker } from 'node:worker_threads'
import { requestEventLoopSlice } from '../../server/threadPriority.ts'
import { sliceIn } from './schedSlice.ts'

const sliceOf = (path: string) => sliceIn(fs.readFileSync(path, 'utf8'))
const threads = () => new Set(fs.readdirSync('/proc/self/task'))

const result = await requestEventLoopSlice(Number(process.argv[2]))
const before = threads()
const worker = new Worker('setTimeout(() => {}, 10_000)', { eval: true })
await new Promise((resolve) => worker.once('online', resolve))
const workerThreads = [...threads()].filter((tid) => !before.has(tid)).map((tid) => sliceOf(`/proc/self/task/${tid}/sched`))
const childSched = spawnSync('cat', ['/proc/self/sched'], { encoding: 'utf8' }).stdout
const child = sliceIn(childSched)
await worker.terminate()
process.stdout.write(JSON.stringify({ result, main: sliceOf(`/proc/self/task/${process.pid}/sched`), workerThreads, child }))
