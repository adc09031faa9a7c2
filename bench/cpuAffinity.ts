import { execFile } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { promisify } from 'node:util'

const run = promisify(execFile)

/**
 * Which cores the server under test and the load-generating client processes run on, for the
 * scenarios that keep them apart ({@link Scenario.cores}): the server on core 0, the clients on
 * every other core. Undefined on a one-core machine, where there is nothing to keep apart.
 */
export function splitCores(): { server: string; clients: string } | undefined {
  const cores = availableParallelism()
  if (cores < 2) return undefined
  return { server: '0', clients: cores === 2 ? '1' : `1-${cores - 1}` }
}

/**
 * Restricts every thread of process `pid` to the cores in `list` (taskset's syntax, e.g. `1-3`);
 * threads it starts later inherit that. util-linux's `taskset`, part of every Debian install:
 * Node has no call for it. Throws with taskset's message when it fails (the bench then says the
 * round did not run, rather than report numbers measured some other way).
 */
export async function pinToCores(pid: number, list: string): Promise<void> {
  try {
    await run('taskset', ['--all-tasks', '--cpu-list', '--pid', list, String(pid)])
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err)
    throw new Error(`could not keep process ${pid} on cores ${list}: ${detail}`)
  }
}
