/**
 * Issue 14 (memory): the server's record pass, snapshot building, restore, revert and plan
 * extraction read one tldraw schema (`sharedKeyplanSchema`) instead of building one each at boot
 * (~90 KB of heap each). The real modules are imported; `createKeyplanSchema` is the real one,
 * wrapped only to count how often it runs.
 */
import { expect, test, vi } from 'vitest'

const built = vi.hoisted(() => ({ count: 0 }))
vi.mock('../../shared/schema.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../shared/schema.ts')>()
  let shared: ReturnType<typeof real.createKeyplanSchema> | undefined
  const createKeyplanSchema = () => {
    built.count++
    return real.createKeyplanSchema()
  }
  return { ...real, createKeyplanSchema, sharedKeyplanSchema: () => (shared ??= createKeyplanSchema()) }
})

test('the modules that only read the tldraw schema build it once between them', async () => {
  await import('../../server/sync/checkRecordOps.ts')
  await import('../../server/snapshot/buildSnapshot.ts')
  await import('../../server/snapshot/restoreBoard.ts')
  await import('../../server/history/planRevert.ts')
  await import('../../shared/extractPlan.ts')
  expect(built.count).toBe(1)
})
