import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { pinToCores } from '../cpuAffinity.ts'
import type { Endpoint, FromWorker, Job, ParentRequest, ScenarioResult, ToWorker } from './protocol.ts'

const WORKER = fileURLToPath(new URL('./worker.ts', import.meta.url))

/**
 * Runs `job` in a fresh client process against `endpoint`. `answer` serves the requests the
 * job makes of the parent (restart the server, read its memory). The process is killed if
 * the job takes longer than `timeoutMs`, so a stuck server cannot hang the bench. With `cores`,
 * the process is kept on those cores (taskset's list) before the job starts.
 */
export function runClientJob(
  job: Job,
  endpoint: Endpoint,
  answer: (request: ParentRequest) => Promise<unknown>,
  log: (message: string) => void,
  timeoutMs: number,
  cores?: string,
): Promise<ScenarioResult> {
  // A larger young generation: the throughput clients allocate fast, and with the default one a
  // sixth of their time went to scavenges (the same client for every server).
  // `BENCH_CLIENT_CPU_PROF=<dir>`: each client process writes a V8 CPU profile there (for finding costs).
  const profile = process.env.BENCH_CLIENT_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CLIENT_CPU_PROF}`] : []
  const child = fork(WORKER, [], { execArgv: ['--import', 'tsx', '--max-semi-space-size=64', ...profile], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const send = (message: ToWorker) => child.send(message)
  return new Promise<ScenarioResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`client process timed out after ${timeoutMs} ms`))
    }, timeoutMs)
    child.on('message', (message: FromWorker) => {
      switch (message.type) {
        case 'log':
          log(message.message)
          break
        case 'request':
          answer(message.request).then(
            (value) => send({ type: 'response', id: message.id, value }),
            (err: unknown) => send({ type: 'response', id: message.id, value: null, error: String(err) }),
          )
          break
        case 'result':
          clearTimeout(timer)
          resolve(message.result)
          break
        case 'error':
          clearTimeout(timer)
          reject(new Error(message.message))
          break
      }
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      reject(new Error(`client process exited (code ${code}, signal ${signal}) without a result`))
    })
    const pinned = cores && child.pid !== undefined ? pinToCores(child.pid, cores) : Promise.resolve()
    pinned.then(
      () => send({ type: 'job', job, endpoint }),
      (err: unknown) => {
        clearTimeout(timer)
        child.kill('SIGKILL')
        reject(err instanceof Error ? err : new Error(String(err)))
      },
    )
  })
}
