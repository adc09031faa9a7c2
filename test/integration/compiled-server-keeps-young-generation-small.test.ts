import { spawn } from 'node:child_process'
import { expect, test } from 'vitest'
import { serverEntry, serverNodeFlags } from '../../scripts/serverBuild.mjs'
import { ensureServerBuilt } from '../helpers/buildClient.ts'
import { TEST_ORG_KEY, createWorkshop, tempDataDir } from '../helpers/startServer.ts'

// Preloaded into the server: on SIGUSR2, prints the size V8 has given its young generation.
const REPORT_YOUNG_GENERATION = `data:text/javascript,${encodeURIComponent(`
import v8 from 'node:v8'
process.on('SIGUSR2', () => {
  const young = v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')
  process.stdout.write('young generation ' + young.space_size + '\\n')
})`)}`

/** Starts the compiled server with the Node `flags`; makes 30 workshops; reads its young generation's size. */
async function youngGenerationAfterWork(flags: string[]): Promise<number> {
  const child = spawn(process.execPath, [...flags, '--import', REPORT_YOUNG_GENERATION, serverEntry], {
    env: { ...process.env, PORT: '0', DATA_DIR: tempDataDir(), LOG_LEVEL: 'warn', KEYPLAN_ORG_KEY: TEST_ORG_KEY },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  let out = ''
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
  const line = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        const match = pattern.exec(out)
        if (match?.[1]) resolve(match[1])
      }
      child.stdout.on('data', check)
      child.once('exit', (code) => reject(new Error(`compiled server exited (${code}): ${out}`)))
      check()
    })
  try {
    const url = await line(/listening on (http:\/\/\S+)/)
    for (let i = 0; i < 30; i++) await createWorkshop(url)
    child.kill('SIGUSR2')
    return Number(await line(/young generation (\d+)/))
  } finally {
    child.kill('SIGTERM')
    await exited
  }
}

// docs/sync-server-targets.md, Memory: without the flags V8 grows the young generation to 2 × 16 MB
// during the start and the first workshops, and keeps it while clients are connected.
test('the compiled server, run with the flags npm start gives it, keeps its young generation at 2 × 4 MB at most', async () => {
  await ensureServerBuilt()
  const MB = 1024 * 1024
  expect(await youngGenerationAfterWork(serverNodeFlags)).toBeLessThanOrEqual(8 * MB)
  // The same work without them: what the flags prevent.
  expect(await youngGenerationAfterWork([])).toBeGreaterThan(8 * MB)
}, 60_000)
