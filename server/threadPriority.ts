/**
 * [S24] Background threads yield to the event loop. The event loop thread relays every edit; the
 * other threads of the process (V8's compiler and garbage-collector helpers, libuv's thread pool,
 * the TypeScript loader) only do background work. Linux starts a thread that another thread wakes
 * on the waker's CPU, so on a machine with few cores a helper that V8 wakes (to optimise a function,
 * to mark or sweep) preempts the event loop for its slice, a few milliseconds, in the middle of a
 * relay. Raising the nice value of every thread but the main one lets them run on idle CPU time
 * instead. Measured on the 2-core dev VM (docs/sync-server-targets.md): fan-out p99 1.4–1.6× →
 * 0.77–1.34× (median 0.99×) the best peer; nothing changes on a machine with idle cores.
 */
import fs from 'node:fs'
import os from 'node:os'

export type ThreadPriorityResult =
  | { applied: true; threads: number }
  | { applied: false; reason: string }

/**
 * Sets the nice value of every thread of this process except the main (event loop) thread to at
 * least `nice` (1–19). Linux only: there `setpriority` on a thread id changes that thread alone.
 * Threads started later by the main thread inherit the main thread's priority, so call this once
 * the thread pool has started (see {@link startThreadPool}).
 */
export function lowerBackgroundThreads(nice: number): ThreadPriorityResult {
  if (nice <= 0) return { applied: false, reason: 'disabled (BACKGROUND_THREAD_NICE=0)' }
  if (process.platform !== 'linux') return { applied: false, reason: `not supported on ${process.platform}` }
  let threadIds: number[]
  try {
    threadIds = fs
      .readdirSync('/proc/self/task')
      .map(Number)
      .filter((tid) => Number.isSafeInteger(tid) && tid !== process.pid) // the main thread's id is the pid
  } catch (error) {
    return { applied: false, reason: `cannot list threads: ${String(error)}` }
  }
  let threads = 0
  for (const tid of threadIds) {
    try {
      // Never raise a thread's priority: only lower it (which needs no privilege).
      if (os.getPriority(tid) < nice) os.setPriority(tid, nice)
      threads++
    } catch {
      // The thread ended meanwhile.
    }
  }
  return { applied: true, threads }
}

/** Starts libuv's thread pool (it starts all its threads on the first task) by running one task. */
export function startThreadPool(): Promise<void> {
  return new Promise((resolve) => fs.stat(os.tmpdir(), () => resolve()))
}
