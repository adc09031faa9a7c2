/** SNAPSHOT_INTERVAL_MS ([S17]): 10 minutes by default, bounded so Node's timer never overflows. */
import { expect, test } from 'vitest'
import { parseEnv } from '../../server/env.ts'

test('SNAPSHOT_INTERVAL_MS defaults to 10 minutes and accepts a second to a day', () => {
  expect(parseEnv({}).snapshotIntervalMs).toBe(600_000)
  expect(parseEnv({ SNAPSHOT_INTERVAL_MS: '1000' }).snapshotIntervalMs).toBe(1_000)
  expect(parseEnv({ SNAPSHOT_INTERVAL_MS: '86400000' }).snapshotIntervalMs).toBe(86_400_000)
})

test('SNAPSHOT_INTERVAL_MS out of range fails fast with a readable message', () => {
  expect(() => parseEnv({ SNAPSHOT_INTERVAL_MS: '10' })).toThrow(/SNAPSHOT_INTERVAL_MS/)
  expect(() => parseEnv({ SNAPSHOT_INTERVAL_MS: '99999999999' })).toThrow(/SNAPSHOT_INTERVAL_MS/)
  expect(() => parseEnv({ SNAPSHOT_INTERVAL_MS: 'often' })).toThrow(/SNAPSHOT_INTERVAL_MS/)
})
