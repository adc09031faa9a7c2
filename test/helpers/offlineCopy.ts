/** A page's offline copy of a board: what y-indexeddb keeps of it in the browser. */
import type { Page } from 'playwright-core'
import { WAIT_MS } from './browser.ts'

/** How many updates the page's IndexedDB copy of `room` (`<workshopId>/<board>`) holds (y-indexeddb's `updates` store). */
export function storedUpdates(page: Page, room: string): Promise<number> {
  return page.evaluate(
    (name) =>
      new Promise<number>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const count = db.transaction('updates').objectStore('updates').count()
          count.onsuccess = () => {
            resolve(count.result)
            db.close()
          }
          count.onerror = () => reject(count.error)
        }
      }),
    `keyplan:${room}`,
  )
}

/** Waits until the page's IndexedDB copy of `room` holds more than `before` updates. */
export async function offlineCopyGrows(page: Page, room: string, before: number): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while ((await storedUpdates(page, room)) <= before) {
    if (Date.now() > deadline) throw new Error('the offline edit never reached IndexedDB')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
