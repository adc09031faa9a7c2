import { machineBusySeconds } from '../machine.ts'
import type { ScenarioContext } from './scenarios/context.ts'

/** CPU use over a measured window, each as a percentage of one core. */
export interface CpuShare {
  server: number
  client: number
  /** Everything else on the machine: other people's processes, the bench parent. Noise. */
  other: number
  /** CPU seconds the server used in the window. */
  serverSeconds: number
  /** CPU seconds this client process used in the window. */
  clientSeconds: number
  /** Busy CPU seconds of the whole machine in the window, all cores summed. */
  machineSeconds: number
  /** Length of the window in seconds. */
  wallSeconds: number
}

/**
 * Starts measuring; call the returned function at the end of the window. On a 2-core machine
 * the shares show which side was the bottleneck and whether something else competed.
 */
export async function startCpuMeter(ctx: ScenarioContext): Promise<() => Promise<CpuShare>> {
  const serverStart = (await ctx.request({ what: 'server-cpu' })) as number // the parent answers server-cpu with seconds
  const clientStart = process.cpuUsage()
  const machineStart = machineBusySeconds()
  const wallStart = performance.now()
  return async () => {
    const serverEnd = (await ctx.request({ what: 'server-cpu' })) as number // as above
    const machine = machineBusySeconds() - machineStart
    const clientUsage = process.cpuUsage(clientStart)
    const wall = (performance.now() - wallStart) / 1000
    const server = serverEnd - serverStart
    const client = (clientUsage.user + clientUsage.system) / 1e6
    const pct = (seconds: number) => (seconds / wall) * 100
    return {
      server: pct(server),
      client: pct(client),
      other: pct(Math.max(0, machine - server - client)),
      serverSeconds: server,
      clientSeconds: client,
      machineSeconds: machine,
      wallSeconds: wall,
    }
  }
}
