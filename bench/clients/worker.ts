/**
 * Client process: runs one scenario job against one server and reports its result to the
 * parent (a suite) over IPC, then exits. Started by `runClientJob`; never run by hand.
 */
import type { FromWorker, Job, ParentRequest, ScenarioResult, ToWorker } from './protocol.ts'
import { coldJoin } from './scenarios/coldJoin.ts'
import type { ScenarioContext } from './scenarios/context.ts'
import { fanOut } from './scenarios/fanOut.ts'
import { idleRooms } from './scenarios/idleRooms.ts'
import { throughput } from './scenarios/throughput.ts'

function send(message: FromWorker): Promise<void> {
  return new Promise((resolve) => process.send?.(message, undefined, {}, () => resolve()))
}

// y-websocket adds one process 'exit' listener per provider; hundreds are expected here.
process.setMaxListeners(0)

const pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>()
let nextId = 1

function runJob(job: Job, ctx: ScenarioContext): Promise<ScenarioResult> {
  switch (job.scenario) {
    case 'fan-out':
      return fanOut(job, ctx)
    case 'throughput':
      return throughput(job, ctx)
    case 'cold-join':
      return coldJoin(job, ctx)
    case 'idle-rooms':
      return idleRooms(job, ctx)
  }
}

process.on('message', (message: ToWorker) => {
  if (message.type === 'response') {
    const waiter = pending.get(message.id)
    pending.delete(message.id)
    if (message.error !== undefined) waiter?.reject(new Error(message.error))
    else waiter?.resolve(message.value)
    return
  }
  const ctx: ScenarioContext = {
    endpoint: message.endpoint,
    request: (request: ParentRequest) =>
      new Promise((resolve, reject) => {
        const id = nextId++
        pending.set(id, { resolve, reject })
        void send({ type: 'request', id, request })
      }),
    log: (text) => void send({ type: 'log', message: text }),
  }
  runJob(message.job, ctx).then(
    async (result) => {
      await send({ type: 'result', result })
      process.exit(0)
    },
    async (err: unknown) => {
      await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) })
      process.exit(1)
    },
  )
})
