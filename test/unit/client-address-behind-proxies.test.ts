import { expect, test } from 'vitest'
import { clientAddress } from '../../server/auth/clientAddress.ts'
import { parseEnv } from '../../server/env.ts'

const PROXY = '10.0.0.2'

test('without trusted proxies the socket peer is the client, whatever X-Forwarded-For says [A16]', () => {
  expect(clientAddress(PROXY, '203.0.113.7', 0)).toBe(PROXY)
  expect(clientAddress(PROXY, undefined, 0)).toBe(PROXY)
})

test('with trusted proxies the client is the address the outermost one appended [A16]', () => {
  // One proxy: it appended the client's address last; what the client wrote before it is ignored.
  expect(clientAddress(PROXY, '203.0.113.7', 1)).toBe('203.0.113.7')
  expect(clientAddress(PROXY, '198.51.100.1, 203.0.113.7', 1)).toBe('203.0.113.7')
  // Two proxies: the outer one appended the client, the inner one the outer one.
  expect(clientAddress(PROXY, '198.51.100.1, 203.0.113.7, 10.0.0.1', 2)).toBe('203.0.113.7')
  expect(clientAddress(PROXY, ' 2001:db8::1 ,10.0.0.1', 2)).toBe('2001:db8::1')
})

test('a missing, short or garbled header falls back instead of trusting client input [A16]', () => {
  expect(clientAddress(PROXY, undefined, 1)).toBe(PROXY)
  expect(clientAddress(PROXY, ' , ', 1)).toBe(PROXY)
  // Fewer entries than hops: the leftmost there is.
  expect(clientAddress(PROXY, '203.0.113.7', 3)).toBe('203.0.113.7')
  // Not an address where the proxy should have written one: the configuration is wrong.
  expect(clientAddress(PROXY, '203.0.113.7, unknown', 1)).toBe(PROXY)
})

test('TRUST_PROXY_HOPS is 0 to 10, default 0', () => {
  expect(parseEnv({}).trustProxyHops).toBe(0)
  expect(parseEnv({ TRUST_PROXY_HOPS: '2' }).trustProxyHops).toBe(2)
  for (const bad of ['-1', '11', 'yes']) expect(() => parseEnv({ TRUST_PROXY_HOPS: bad })).toThrow(/TRUST_PROXY_HOPS/)
})
