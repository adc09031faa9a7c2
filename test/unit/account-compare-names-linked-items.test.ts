/**
 * QA pass q29b: the portfolio's "Compare two versions" printed an objective's changed list of
 * actions as raw shape ids ("Actions shape:HqFf…, shape:yBGf… → Action one") whenever it held two
 * or more: the diff carries a list of links as its ids joined, and only a single id was named.
 */
import { expect, test } from 'vitest'
import { valueText } from '../../client/portfolio/AccountCompare.tsx'

test('a changed list of linked actions reads as their titles, one or several', () => {
  const names = { 'shape:a1': 'Action one', 'shape:a2': 'Action two' }
  expect(valueText('actions', 'shape:a1, shape:a2', names)).toBe('Action one; Action two')
  expect(valueText('actions', 'shape:a1', names)).toBe('Action one')
  // Not every one named: as it is, not half named.
  expect(valueText('actions', 'shape:a1, shape:gone', names)).not.toContain('Action one;')
})

