import { readFile, writeFile } from 'node:fs/promises'

const PREAMBLE = `# Benchmarks

Latest results of \`npm run bench\` (\`bench/run.ts\`). Each suite's section is rewritten by its
own run (\`BENCH_ONLY=<suite> npm run bench\` updates only that section); quick runs
(\`BENCH_QUICK=1\`) and runs filtered with \`BENCH_CANDIDATES\` or \`BENCH_SCENARIO\` print but never
write here. Do not edit between the markers by hand.

The machine is shared: each table has an "other processes CPU" row and a warning when other
processes competed for the cores during a measurement; such numbers are noisy. To add a suite,
export a \`Suite\` (\`bench/types.ts\`) from \`bench/suites/<name>.ts\` and list it in
\`bench/suites/index.ts\`.

Targets from issue 2 for the sync server: p99 fan-out latency no worse than the best peer,
throughput at least 1.5× the best peer, cold join no slower than the best peer, all with every
update durable before it is relayed. Where each stands, and why:
[sync-server-targets.md](sync-server-targets.md).
`

function markers(suite: string): { start: string; end: string } {
  return { start: `<!-- suite:${suite}:start -->`, end: `<!-- suite:${suite}:end -->` }
}

/**
 * Replaces (or appends) each given suite's section in the docs file, keeping the sections of
 * suites that did not run this time.
 */
export async function updateDocs(path: string, sections: ReadonlyMap<string, string>): Promise<void> {
  let existing = ''
  try {
    existing = await readFile(path, 'utf8')
  } catch {
    existing = ''
  }
  const kept = new Map<string, string>()
  const pattern = /<!-- suite:([\w-]+):start -->\n([\s\S]*?)\n<!-- suite:\1:end -->/g
  for (const match of existing.matchAll(pattern)) if (match[1] && match[2] !== undefined) kept.set(match[1], match[2])
  for (const [suite, body] of sections) kept.set(suite, body)
  const body = [...kept].map(([suite, text]) => {
    const m = markers(suite)
    return `${m.start}\n${text}\n${m.end}`
  })
  await writeFile(path, `${PREAMBLE}\n${body.join('\n\n')}\n`)
}
