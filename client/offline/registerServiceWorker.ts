/**
 * Registers the service worker of the built client (`/sw.js`, client/offline/serviceWorker.ts), so
 * a board opened once opens again while the server is unreachable. Not in development (Vite's dev
 * server has no `/sw.js`), and only where the browser allows service workers: a secure context,
 * i.e. HTTPS or localhost; a plain-HTTP LAN address works online only.
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return
  // After the page has loaded, so that installing the worker's cache does not compete with it.
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js').catch((error: unknown) => console.warn('[keyplan] no offline support:', error))
  })
}
