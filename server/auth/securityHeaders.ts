/**
 * Security headers on every response (`docs/security.md` [A12]): a Content-Security-Policy that
 * lets the page talk only to its own origin and its own websocket, no framing, no referrer (invite
 * tokens are briefly in page URLs), no MIME sniffing.
 *
 * Why each CSP source is there (checked against tldraw 5.4.2, and in Chromium: a board loads and
 * takes a sticky note with no violation reported):
 * - `style-src 'unsafe-inline'`: tldraw renders `<style>` elements (watermark, print, and two more
 *   that Chromium reports as violations without it) and measures rich text by assigning HTML with
 *   `style` attributes to `innerHTML`;
 * - `img-src`/`media-src data: blob:`: pasted and exported images and videos are data/blob URLs;
 * - `connect-src blob: data:`: tldraw `fetch`es blob URLs (asset upload) and data URLs
 *   (`dataUrlToFile`, assets Vite inlined);
 * - `worker-src 'self' blob:`: the service worker `/sw.js` (the offline app shell,
 *   client/offline/serviceWorker.ts) and workers built from blobs;
 * - no third-party origin at all: the client must serve tldraw's fonts, icons and translations
 *   itself (`@tldraw/assets`). This also blocks tldraw's license tracking request, which sends
 *   `location.href` (possibly still holding `?token=`) to cdn.tldraw.com;
 * - no `'unsafe-eval'`: zod probes for `Function` once (harmless, but reported as a violation);
 *   the client should turn the probe off with `z.config({ jitless: true })` in a module it imports first.
 *
 * @example
 * ```ts
 * app.use(securityHeaders())
 * ```
 */
import type { Context, MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

// A Host header is client-controlled: only a plain host[:port] may reach the policy, so nothing
// like `evil.example; script-src *` can add directives.
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/

/**
 * The websocket sources of `connect-src` for a request's Host: `ws://host wss://host`, or nothing
 * for a missing or odd Host (`'self'` then still covers same-origin websockets in current browsers).
 */
export function websocketSources(host: string | undefined): string {
  if (host === undefined || !HOST.test(host)) return ''
  return `ws://${host} wss://${host}`
}

function connectSrcWebsockets(c: Context): string {
  return websocketSources(c.req.header('host'))
}

/** The middleware; add it first so that every response, errors included, carries the headers. */
export function securityHeaders(): MiddlewareHandler {
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:'],
      mediaSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", connectSrcWebsockets, 'blob:', 'data:'],
      workerSrc: ["'self'", 'blob:'],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      frameSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    // Served over plain HTTP on a LAN by default; HSTS belongs to the TLS proxy in front, if any.
    strictTransportSecurity: false,
    permissionsPolicy: { camera: [], microphone: [], geolocation: [], payment: [], usb: [] },
  })
}
