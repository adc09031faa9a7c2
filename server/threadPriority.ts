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

/** What {@link requestEventLoopSlice} did: the slice it got, or why it left the kernel's default. */
export type EventLoopSliceResult =
  | { applied: true; sliceUs: number; kernelDefaultUs: number }
  | { applied: false; reason: string }

/** `sched_setattr` and `sched_getattr` by architecture (no libc wrapper before glibc 2.41). */
const SCHED_SYSCALLS: Partial<Record<string, { set: number; get: number }>> = {
  x64: { set: 314, get: 315 },
  arm64: { set: 274, get: 275 },
}
/** `struct sched_attr` up to `sched_period` (SCHED_ATTR_SIZE_VER0). */
const SCHED_ATTR_SIZE = 48
const ATTR_POLICY = 4
const ATTR_FLAGS = 8
/** For the fair policies, `sched_runtime` is the slice the thread asks for (Linux 6.12+). */
const ATTR_RUNTIME = 24
const SCHED_NORMAL = 0
const SCHED_BATCH = 3
/**
 * Threads and processes the event loop starts later get the kernel's default slice, not its own
 * (and, were the process started with a negative nice value, nice 0). The one `sched_flags` bit
 * that needs no larger struct.
 */
const SCHED_FLAG_RESET_ON_FORK = 1n

type Syscall = (number: number, ...typedArgs: unknown[]) => number

/**
 * [S25] Asks the kernel to run the calling thread (call it from the event loop) in slices of
 * `microseconds`. Under EEVDF (Linux 6.12+) a thread with a shorter slice gets an earlier virtual
 * deadline, so when a frame wakes the event loop it runs at once instead of waiting up to a
 * default slice (1.4 ms on 2 cores) behind whatever holds the CPU; its share of the CPU does not
 * change. Nice value and policy are kept; threads and processes started later do not inherit the
 * slice. Linux on x64 and arm64 only; needs no privilege. Never throws: a failure is a reason.
 */
export async function requestEventLoopSlice(microseconds: number): Promise<EventLoopSliceResult> {
  if (microseconds <= 0) return { applied: false, reason: 'disabled (EVENT_LOOP_SLICE_US=0)' }
  const calls = SCHED_SYSCALLS[process.arch]
  if (process.platform !== 'linux' || !calls) return { applied: false, reason: `not supported on ${process.platform}/${process.arch}` }
  try {
    const { default: koffi } = await import('koffi')
    // koffi types a variadic function as taking anything; the C declaration fixes what it returns.
    const syscall = koffi.load('libc.so.6').func('long syscall(long number, ...)') as Syscall
    const getAttr = (): Buffer | undefined => {
      const attr = Buffer.alloc(SCHED_ATTR_SIZE)
      // Thread 0 is the calling thread.
      return syscall(calls.get, 'int', 0, 'void *', attr, 'unsigned int', SCHED_ATTR_SIZE, 'unsigned int', 0) === 0 ? attr : undefined
    }
    const attr = getAttr()
    if (!attr) return { applied: false, reason: `sched_getattr failed (errno ${koffi.errno()})` }
    const policy = attr.readUInt32LE(ATTR_POLICY)
    if (policy !== SCHED_NORMAL && policy !== SCHED_BATCH) return { applied: false, reason: `the event loop runs under scheduling policy ${policy}, not a fair one` }
    const kernelDefaultUs = Number(attr.readBigUInt64LE(ATTR_RUNTIME) / 1000n)
    const slice = BigInt(microseconds) * 1000n
    attr.writeUInt32LE(SCHED_ATTR_SIZE, 0)
    attr.writeBigUInt64LE(SCHED_FLAG_RESET_ON_FORK, ATTR_FLAGS)
    attr.writeBigUInt64LE(slice, ATTR_RUNTIME)
    if (syscall(calls.set, 'int', 0, 'void *', attr, 'unsigned int', 0) !== 0) return { applied: false, reason: `sched_setattr failed (errno ${koffi.errno()})` }
    // Kernels before 6.12 accept the slice of a fair thread and ignore it.
    if (getAttr()?.readBigUInt64LE(ATTR_RUNTIME) !== slice) return { applied: false, reason: 'this kernel has no per-thread slices (Linux 6.12+)' }
    return { applied: true, sliceUs: microseconds, kernelDefaultUs }
  } catch (error) {
    return { applied: false, reason: `cannot reach the kernel's scheduler: ${String(error)}` }
  }
}
