import { appendFileSync } from 'node:fs'
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'

/** Preloaded into every server so the bench can force a GC before reading RSS. */
const SETTLE_HOOK = fileURLToPath(new URL('./settleOnSignal.mjs', import.meta.url))

/** USER_HZ of /proc/<pid>/stat: 100 on every Linux build we run on (`getconf CLK_TCK`). */
const CLOCK_TICKS_PER_SECOND = 100

/** How a server is started and how its readiness line is recognised. */
export interface SpawnSpec {
  /** Arguments after `node` (the hook and flags are added here). */
  args: string[]
  /**
   * Run through the tsx loader (a TypeScript entry point). The loader adds ~35 MB of RSS and a
   * thread, so servers that are JavaScript (Keyplan bundled, as `npm start` runs it) run without.
   */
  typescript: boolean
  env: Record<string, string>
  cwd: string
  /** Matches the line printed once the server accepts connections; group 1 is the port. */
  ready: RegExp
  readyTimeoutMs: number
}

/**
 * One server under test, running as its own child process (never in the bench's process,
 * so its CPU and memory are its own). Owns the process lifecycle: start, ready, settle, stop.
 */
export class ServerProcess {
  private exited: Promise<number | null>
  private output: string[] = []

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)))
  }

  get pid(): number {
    return this.child.pid ?? -1
  }

  /** Last lines the server printed, for error messages. */
  tail(): string {
    return this.output.slice(-15).join('\n')
  }

  static async start(spec: SpawnSpec): Promise<ServerProcess> {
    const loader = spec.typescript ? ['--import', 'tsx'] : []
    // `BENCH_SERVER_CPU_PROF=<dir>`: every server writes a V8 CPU profile there when it exits
    // (Node refuses --cpu-prof in NODE_OPTIONS). For finding costs, not for timed runs.
    const profile = process.env.BENCH_SERVER_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_CPU_PROF}`] : []
    // `BENCH_SERVER_NODE_ARGS='--trace-gc-nvp …'`: more Node flags for every server (diagnostics,
    // with `BENCH_SERVER_LOG=<file>` to keep what it prints). Not for the timed runs of the docs.
    const extra = process.env.BENCH_SERVER_NODE_ARGS ? process.env.BENCH_SERVER_NODE_ARGS.split(' ') : []
    const child = spawn(process.execPath, ['--expose-gc', ...extra, ...profile, ...loader, '--import', SETTLE_HOOK, ...spec.args], {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const lines: string[] = []
    let resolveReady: (port: number) => void = () => {}
    let rejectReady: (err: Error) => void = () => {}
    const ready = new Promise<number>((resolve, reject) => {
      resolveReady = resolve
      rejectReady = reject
    })
    const onData = (chunk: Buffer) => {
      if (process.env.BENCH_SERVER_LOG) appendFileSync(process.env.BENCH_SERVER_LOG, chunk) // everything it printed, for the flags above
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim() === '') continue
        lines.push(line)
        if (lines.length > 200) lines.shift()
        const match = spec.ready.exec(line)
        if (match?.[1]) resolveReady(Number(match[1]))
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code, signal) =>
      rejectReady(new Error(`exited (code ${code}, signal ${signal}) before ready:\n${lines.slice(-15).join('\n')}`)),
    )
    child.once('error', (err) => rejectReady(err))
    const timer = setTimeout(
      () => rejectReady(new Error(`not ready after ${spec.readyTimeoutMs} ms:\n${lines.slice(-15).join('\n')}`)),
      spec.readyTimeoutMs,
    )
    try {
      const port = await ready
      const server = new ServerProcess(child, port)
      server.output = lines
      return server
    } catch (err) {
      child.kill('SIGKILL')
      throw err
    } finally {
      clearTimeout(timer)
    }
  }

  /**
   * Resident set size in MB after a forced settle: two full GCs (via the preloaded
   * SIGUSR2 hook) and a pause so freed pages are returned before /proc is read.
   */
  async settledRssMb(): Promise<number> {
    for (let i = 0; i < 2; i++) {
      this.child.kill('SIGUSR2')
      await sleep(700)
    }
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8')
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)
    if (!match?.[1]) throw new Error(`no VmRSS in /proc/${this.pid}/status`)
    return Number(match[1]) / 1024
  }

  /** CPU time (user + system) the server process has used so far, in seconds. */
  async cpuSeconds(): Promise<number> {
    const stat = await readFile(`/proc/${this.pid}/stat`, 'utf8')
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND
  }

  /**
   * How often the server's main thread was switched out while it could still run (preempted, not
   * waiting), so far: `nonvoluntary_ctxt_switches` of /proc/<pid>/status.
   */
  async preemptions(): Promise<number> {
    const status = await readFile(`/proc/${this.pid}/status`, 'utf8')
    const match = /^nonvoluntary_ctxt_switches:\s+(\d+)/m.exec(status)
    if (!match?.[1]) throw new Error(`no nonvoluntary_ctxt_switches in /proc/${this.pid}/status`)
    return Number(match[1])
  }

  /** SIGTERM, then SIGKILL if the server has not exited within `graceMs`. */
  async stop(graceMs = 5000): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    this.child.kill('SIGTERM')
    const timedOut = await Promise.race([this.exited.then(() => false), sleep(graceMs).then(() => true)])
    if (timedOut) {
      this.child.kill('SIGKILL')
      await this.exited
    }
  }
}
