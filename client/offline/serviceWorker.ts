/**
 * Keyplan's service worker (`/sw.js`, built from this file by the `keyplan-service-worker` plugin
 * of vite.config.ts, which puts `PRECACHE` and `VERSION` before it). It keeps the app shell (the
 * page, its script, styles, fonts and icons) so that a board opened once opens again while the
 * server is unreachable: the board's content then comes from IndexedDB (y-indexeddb), and syncs
 * when the server is back. Nothing of the API, the sync or the control channel goes through it.
 *
 * - The page (navigations): the network first, the cached page when the network fails.
 * - `/assets/*` (content-hashed names, never change): the cache first, filled on first use.
 * - A new build has a new `VERSION`: it installs its own cache and removes the old ones.
 */

/** Every file of the build to keep from the start: the page and `/assets/*` but translations. */
declare const PRECACHE: readonly string[]
/** A hash of the build's file names and of this worker. */
declare const VERSION: string

// The worker's own global scope; typed here by hand because the webworker lib clashes with the DOM
// lib the rest of the client is checked with.
type ExtendableEvent = Event & { waitUntil(promise: Promise<unknown>): void }
type FetchEvent = ExtendableEvent & { request: Request; respondWith(response: Promise<Response>): void }
type WorkerScope = {
  location: Location
  skipWaiting(): Promise<void>
  clients: { claim(): Promise<void> }
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEvent) => void): void
  addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void
}
const worker = self as unknown as WorkerScope // this file only ever runs as a service worker

const CACHE_PREFIX = 'keyplan-shell-'
const CACHE = `${CACHE_PREFIX}${VERSION}`
const PAGE = '/index.html'

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([...PRECACHE]))
      .then(() => worker.skipWaiting()),
  )
})

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      // The page that registered the worker is served by it from now on, without a reload.
      .then(() => worker.clients.claim()),
  )
})

worker.addEventListener('fetch', (event) => {
  const { request } = event
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== worker.location.origin) return
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/sync/') || url.pathname.startsWith('/control/')) return
  if (request.mode === 'navigate') event.respondWith(page(request))
  else if (url.pathname.startsWith('/assets/')) event.respondWith(asset(request))
})

/** The network's answer (whatever it is); the cached page only when there is no network answer at all. */
async function page(request: Request): Promise<Response> {
  try {
    return await fetch(request)
  } catch (error) {
    const cached = await caches.match(PAGE, { cacheName: CACHE })
    if (cached) return cached
    throw error
  }
}

/** A content-hashed file: from the cache, or fetched once and kept. */
async function asset(request: Request): Promise<Response> {
  const cache = await caches.open(CACHE)
  const cached = await cache.match(request)
  if (cached) return cached
  const response = await fetch(request)
  if (response.ok) await cache.put(request, response.clone())
  return response
}

export {}
