import { readFileSync } from 'node:fs'
import type { ScenarioContext } from './scenarios/context.ts'

/** USER_HZ of /proc/stat (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100

/** CPU use over a measured window, each as a percentage of one core. */
export interface CpuShare {
  server: number
  client: number
  /** Everything else on the machine: other people's processes, the bench parent. Noise. */
  other: number
}

/** Busy (non-idle, non-iowait) CPU seconds of the whole machine since boot. */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  // cpu user nice system idle iowait irq softirq steal ...
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number)
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND
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
    return { server: pct(server), client: pct(client), other: pct(Math.max(0, machine - server - client)) }
  }
}
