/**
 * Issue 14 (memory): every sync connection has seven token buckets ([S28], [S30], [S31]), so a
 * bucket holds its numbers only and shares the clock: a function per bucket was half its heap.
 * Counted as live functions (after the GC that `v8.queryObjects` runs) while 100 connections'
 * buckets are held. The rates themselves are checked by the fast-writer and hostile-update tests.
 */
import v8 from 'node:v8'
import { expect, test } from 'vitest'
import { ConnectionRateLimits, type ConnectionRates } from '../../server/sync/RateLimits.ts'

const rates: ConnectionRates = { updates: 60, entries: 2_000, updateBytes: 1_000_000, syncStep1: 5, awareness: 30, awarenessBytes: 100_000, work: 1_000_000 }

test("a connection's buckets make no functions, and still refuse past their burst", () => {
  const liveFunctions = () => v8.queryObjects(Function) as number // the default format answers a count
  new ConnectionRateLimits(rates) // the first one may compile what every later one shares
  const before = liveFunctions()
  const held: ConnectionRateLimits[] = []
  for (let i = 0; i < 100; i++) held.push(new ConnectionRateLimits(rates))
  expect(liveFunctions() - before).toBe(0)

  // Twice the rate fits at once (the burst); one more does not.
  const [limits] = held
  for (let i = 0; i < 2 * rates.awareness; i++) expect(limits?.takeAwareness(10)).toBeUndefined()
  expect(limits?.takeAwareness(10)).toBe('awareness updates')
})
