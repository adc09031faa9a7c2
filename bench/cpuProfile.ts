/** A V8 CPU profile as the inspector's `Profiler.stop` and `--cpu-prof` give it. */
export interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[]
  samples?: number[]
  timeDeltas?: number[]
}

/** Self and total ms per function (name, file and line), and the ms not idle. */
export type ProfileSums = { self: Map<string, number>; total: Map<string, number>; busy: number }

/** Empty sums, to add profiles into with {@link addProfile}. */
export function profileSums(): ProfileSums {
  return { self: new Map(), total: new Map(), busy: 0 }
}

/**
 * Adds `profile`'s samples to `sums`: each sample's time to its function's self time, and once to
 * the total of every function on its stack (a recursive function counted once). Idle samples count
 * only as `(idle)`'s self time.
 */
export function addProfile(profile: CpuProfile, sums: ProfileSums = profileSums()): ProfileSums {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const key = (node: CpuProfile['nodes'][number]) =>
    `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').at(-1) ?? ''}:${node.callFrame.lineNumber + 1}`
  ;(profile.samples ?? []).forEach((sample, i) => {
    const ms = (profile.timeDeltas?.[i + 1] ?? 0) / 1000
    const node = byId.get(sample)
    if (!node) return
    const name = key(node)
    sums.self.set(name, (sums.self.get(name) ?? 0) + ms)
    if (name.startsWith('(idle)')) return
    sums.busy += ms
    const seen = new Set<string>()
    for (let at: number | undefined = sample; at !== undefined; at = parent.get(at)) {
      const up = byId.get(at)
      if (!up) break
      const upName = key(up)
      if (seen.has(upName)) continue
      seen.add(upName)
      sums.total.set(upName, (sums.total.get(upName) ?? 0) + ms)
    }
  })
  return sums
}
