import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'

/** USER_HZ of /proc/stat (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100

/** Busy (non-idle, non-iowait) CPU seconds of the whole machine since boot, all cores summed. */
export function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? ''
  // cpu  user nice system idle iowait irq softirq steal ...
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number)
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND
}

/**
 * Waits (at most `maxWaitMs`) until the machine has been nearly idle for half a second, so a
 * measurement does not start in the middle of someone else's test run. Call it while nothing
 * of the bench is running. Returns the busy share (% of one core) of the last sample.
 */
export async function waitForQuietMachine(maxWaitMs: number, quietPct = 25): Promise<number> {
  const deadline = Date.now() + maxWaitMs
  for (;;) {
    const start = machineBusySeconds()
    await sleep(500)
    const busyPct = ((machineBusySeconds() - start) / 0.5) * 100
    if (busyPct <= quietPct || Date.now() >= deadline) return busyPct
  }
}
