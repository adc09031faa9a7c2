/** A page's offline copy of a board: what y-indexeddb keeps of it in the browser. */
import type { Page } from 'playwright-core'
import { WAIT_MS } from './browser.ts'

/** How many updates the page's IndexedDB copy of `room` (`<workshopId>/<board>`) holds (y-indexeddb's `updates` store). */
function storedUpdates(page: Page, room: string): Promise<number> {
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

/**
 * Takes the page offline, makes `edit`, waits until the edit has reached the page's IndexedDB copy
 * of `room` (and nothing else: the tab is offline), and closes the tab.
 */
export async function editOfflineAndClose(page: Page, room: string, edit: () => Promise<void>): Promise<void> {
  await page.context().setOffline(true)
  await page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
  const before = await storedUpdates(page, room)
  await edit()
  const deadline = Date.now() + WAIT_MS
  while ((await storedUpdates(page, room)) <= before) {
    if (Date.now() > deadline) throw new Error('the offline edit never reached IndexedDB')
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  await page.close()
}
