/**
 * Where the server's relay path allocates: the sampling heap profiler (through the inspector, every
 * `INTERVAL` bytes, objects minor and major GCs collected included) over `TURNS` turns of
 * {@link measureRelayCost}, history on. Only samples whose stack passes through `server/` count
 * (the harness's client documents share the heap); a builtin's bytes (`Map`, `push`, `subarray`) are
 * charged to its caller. Prints KB per turn by allocation site, largest first.
 *
 * Compiled, as `bench/tsconfig.relaycost.json` says (tsx's wrappers rename closures), then
 * `PATTERN=throughput TURNS=300 node dist/relaycost/bench/relayAllocation.js` (`MINOR=0`: only what
 * outlived a scavenge). Function positions
 * are the compiled file's, the line a function starts on (the profiler names no allocating line).
 */
import { Session } from 'node:inspector/promises'
import { measureRelayCost, type RelayPattern } from './relayCost.ts'

type Node = { callFrame: { functionName: string; url: string; lineNumber: number }; selfSize: number; children: Node[] }

const pattern = (process.env.PATTERN ?? 'throughput') as RelayPattern // checked by measureRelayCost's use
const turns = Number(process.env.TURNS ?? 300)
const warmupTurns = 200
const session = new Session()
session.connect()
// Optimized code allocates differently from the interpreter's: profile a warm process.
await measureRelayCost({ pattern, history: true, turns: 100, warmupTurns: 100 })
await session.post('HeapProfiler.enable')
await session.post('HeapProfiler.startSampling', {
  samplingInterval: Number(process.env.INTERVAL ?? 128),
  includeObjectsCollectedByMajorGC: true,
  // `MINOR=0`: leaves out what scavenges collect, so what is left is what lived long enough to be
  // promoted (what major GCs collect) or still lives: the old generation's garbage.
  includeObjectsCollectedByMinorGC: process.env.MINOR !== '0',
})
await measureRelayCost({ pattern, history: true, turns, warmupTurns })
const { profile } = await session.post('HeapProfiler.stopSampling')
session.disconnect()

const bySite = new Map<string, number>()
let server = 0
const name = (node: Node) => `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`
const walk = (node: Node, inServer: boolean, caller: string | undefined): void => {
  const here = inServer || node.callFrame.url.includes('/server/')
  const builtin = node.callFrame.url === ''
  if (here) {
    const site = builtin && caller ? `${node.callFrame.functionName}() in ${caller}` : name(node)
    bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize)
    server += node.selfSize
  }
  for (const child of node.children) walk(child, here, builtin ? caller : name(node))
}
walk(profile.head as Node, false, undefined) // the inspector's sampling profile is this shape
const kb = (bytes: number) => (bytes / (turns + warmupTurns) / 1024).toFixed(2).padStart(8)
console.log(`${pattern}: the server allocated ${kb(server).trim()} KB per turn (sampled); by site, KB per turn:`)
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.TOP ?? 40))) console.log(kb(bytes), site)
