import fs from 'node:fs'
import { afterEach, expect, test } from 'vitest'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { tempDataDir } from '../helpers/startServer.ts'

/** Nice value of each thread of `pid`, from /proc (field 19 of a thread's stat line). */
function threadNice(pid: number): Map<number, number> {
  const nice = new Map<number, number>()
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    const stat = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8')
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis start at 3.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    nice.set(Number(tid), Number(fields[19 - 3]))
  }
  return nice
}

let child: ChildServer | undefined
afterEach(async () => {
  child?.process.kill('SIGTERM')
  await child?.exited
  child = undefined
})

test.runIf(process.platform === 'linux')('every thread but the event loop runs at BACKGROUND_THREAD_NICE [S24]', async () => {
  child = await startChildServer({ DATA_DIR: tempDataDir(), BACKGROUND_THREAD_NICE: '15' })
  const pid = child.process.pid ?? 0
  const nice = threadNice(pid)
  const mainNice = nice.get(pid)
  // The event loop keeps the priority the process was started with (vitest's, inherited).
  expect(mainNice).toBe(threadNice(process.pid).get(process.pid))
  const background = [...nice].filter(([tid]) => tid !== pid)
  // V8's platform workers and libuv's pool (4 each by default) at least.
  expect(background.length).toBeGreaterThanOrEqual(8)
  for (const [, value] of background) expect(value).toBe(15)
})

test.runIf(process.platform === 'linux')('BACKGROUND_THREAD_NICE=0 leaves the threads as they are', async () => {
  child = await startChildServer({ DATA_DIR: tempDataDir(), BACKGROUND_THREAD_NICE: '0' })
  const pid = child.process.pid ?? 0
  const values = new Set(threadNice(pid).values())
  expect(values).toEqual(new Set([threadNice(process.pid).get(process.pid)]))
})
