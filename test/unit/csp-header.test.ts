import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import { securityHeaders, websocketSources } from '../../server/auth/securityHeaders.ts'

function app() {
  const a = new Hono()
  a.use(securityHeaders())
  a.onError((_error, c) => c.json({ error: { code: 'internal', message: 'internal error' } }, 500))
  a.get('/', (c) => c.html('<!doctype html><div id="root"></div>'))
  a.get('/api/boom', () => {
    throw new Error('boom')
  })
  return a
}

function directives(header: string | null): Map<string, string[]> {
  const map = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) map.set(name, sources)
  }
  return map
}

describe('[A12] security headers', () => {
  it('CSP allows only the own origin and its own websocket', async () => {
    const res = await app().request('http://keyplan.example:8787/', { headers: { host: 'keyplan.example:8787' } })
    const csp = directives(res.headers.get('content-security-policy'))
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual([
      "'self'",
      'ws://keyplan.example:8787',
      'wss://keyplan.example:8787',
      'blob:',
      'data:',
    ])
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:'])
    expect(csp.get('style-src')).toEqual(["'self'", "'unsafe-inline'"])
    expect(csp.get('font-src')).toEqual(["'self'", 'data:'])
    expect(csp.get('worker-src')).toEqual(["'self'", 'blob:'])
    expect(csp.get('frame-ancestors')).toEqual(["'none'"])
    expect(csp.get('object-src')).toEqual(["'none'"])
    // No wildcard scheme sources anywhere: `ws:` alone would allow any websocket host.
    for (const [, sources] of csp) {
      for (const source of sources) expect(['ws:', 'wss:', 'http:', 'https:', '*']).not.toContain(source)
    }
  })

  it('a hostile Host header cannot add directives or sources', async () => {
    for (const host of ['evil.example; script-src *', 'a b', 'x.example/path', "'unsafe-eval'"]) {
      expect(websocketSources(host)).toBe('')
    }
    const res = await app().request('http://x/', { headers: { host: 'evil.example;script-src *' } })
    const csp = directives(res.headers.get('content-security-policy'))
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual(["'self'", 'blob:', 'data:'])
    expect(websocketSources('[::1]:8787')).toBe('ws://[::1]:8787 wss://[::1]:8787')
    expect(websocketSources('localhost')).toBe('ws://localhost wss://localhost')
  })

  it('no referrer, no sniffing, no framing, on errors too', async () => {
    for (const path of ['/', '/api/boom', '/missing']) {
      const res = await app().request(`http://localhost${path}`, { headers: { host: 'localhost' } })
      expect(res.headers.get('referrer-policy')).toBe('no-referrer')
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    }
  })
})
