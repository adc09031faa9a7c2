import v8 from 'node:v8'

/**
 * Live timers of this process (`setTimeout` and `setInterval` make objects of one class), counted
 * on the heap: what tests of "one timer shared by many" compare before and after.
 */
export function liveTimers(): number {
  const probe = setTimeout(() => {}, 0)
  clearTimeout(probe)
  const Timeout = probe.constructor as new () => unknown // Node's Timeout class, not exported
  return (v8.queryObjects(Timeout) as number) - 1 // the default format answers a count; less the probe
}
