/** The limits ([A13], [A14]) and PUBLIC_URL ([A15]) variables: defaults, and fail-fast parsing. */
import { expect, test } from 'vitest'
import { parseEnv } from '../../server/env.ts'
import { ConnectionLimits } from '../../server/sync/ConnectionLimits.ts'

test('limits default to 200 per room, 50 per address and 64 KiB of awareness [A13][A14]', () => {
  const config = parseEnv({})
  expect(config).toMatchObject({ maxConnectionsPerRoom: 200, maxConnectionsPerAddress: 50, maxAwarenessBytes: 65_536 })
  expect(() => parseEnv({ MAX_CONNECTIONS_PER_ROOM: '0' })).toThrow(/MAX_CONNECTIONS_PER_ROOM/)
  expect(() => parseEnv({ MAX_CONNECTIONS_PER_ADDRESS: 'many' })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS/)
  expect(() => parseEnv({ MAX_AWARENESS_BYTES: '10' })).toThrow(/MAX_AWARENESS_BYTES/)
})

test('REST bodies are capped at 64 KiB by default, at least 1 KiB [A20]', () => {
  expect(parseEnv({}).maxRequestBodyBytes).toBe(65_536)
  expect(parseEnv({ MAX_REQUEST_BODY_BYTES: '1048576' }).maxRequestBodyBytes).toBe(1_048_576)
  expect(() => parseEnv({ MAX_REQUEST_BODY_BYTES: '100' })).toThrow(/MAX_REQUEST_BODY_BYTES/)
})

test('PUBLIC_URL is optional, an http(s) origin, normalised [A15]', () => {
  expect(parseEnv({}).publicUrl).toBeUndefined()
  expect(parseEnv({ PUBLIC_URL: 'https://Keyplan.example.com/' }).publicUrl).toBe('https://keyplan.example.com')
  expect(parseEnv({ PUBLIC_URL: 'http://10.0.0.5:8787' }).publicUrl).toBe('http://10.0.0.5:8787')
  for (const bad of ['keyplan.example.com', 'ftp://keyplan.example.com', 'javascript:alert(1)', 'https://keyplan.example.com/app', 'https://user:pw@keyplan.example.com']) {
    expect(() => parseEnv({ PUBLIC_URL: bad }), bad).toThrow(/PUBLIC_URL/)
  }
})

test('addresses of one IPv6 /64 share their connection slots [A13]', () => {
  const limits = new ConnectionLimits({ perRoom: 10, perAddress: 2 })
  const first = limits.acquire('w/swot', '2001:db8:1:2::1')
  const second = limits.acquire('w/actions', '2001:db8:1:2:ffff::9')
  expect(first.ok && second.ok).toBe(true)
  expect(limits.acquire('w/swot', '2001:db8:1:2::3')).toEqual({ ok: false, reason: 'too many connections from this address' })
  expect(limits.acquire('w/swot', '2001:db8:1:3::1').ok).toBe(true)
  if (first.ok) {
    first.release()
    first.release() // a second release changes nothing
  }
  expect(limits.addressCount('2001:db8:1:2::7')).toBe(1)
  expect(limits.roomCount('w/swot')).toBe(1)
})

test('a board holds at most 10,000 records and 32 MiB of content by default [S28]', () => {
  expect(parseEnv({}).updateLimits).toMatchObject({ maxBoardRecords: 10_000, maxBoardBytes: 32 * 1024 * 1024 })
  expect(parseEnv({ MAX_BOARD_RECORDS: '20000' }).updateLimits.maxBoardRecords).toBe(20_000)
  expect(() => parseEnv({ MAX_BOARD_RECORDS: '0' })).toThrow(/MAX_BOARD_RECORDS/)
  expect(() => parseEnv({ MAX_BOARD_BYTES: '1e9' })).toThrow(/MAX_BOARD_BYTES/)
})
