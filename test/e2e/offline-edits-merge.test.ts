/**
 * A person who loses the network keeps editing; the board says so, and when the network is back
 * the edits reach the other page, even if the tab was closed in between (they wait in IndexedDB).
 */
import type { Page } from 'playwright-core'
import { describe, it } from 'vitest'
import { clickShape, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('actions')

/** How many updates the page's IndexedDB copy of the board holds (y-indexeddb's `updates` store). */
function storedUpdates(page: Page): Promise<number> {
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
    `keyplan:${two.workshop.id}/actions`,
  )
}

describe('editing while offline', () => {
  it('delivers A’s offline edits to B once A is back online', async () => {
    const { alice, bob } = two
    const { page, context } = alice
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill('Book the executive sponsor meeting')
    await shapeWithText(bob.page, 'action', 'Book the executive sponsor meeting').waitFor({ timeout: WAIT_MS })

    await context.setOffline(true)
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
    await sidePanel(page).getByLabel('Title').fill('Book the executive sponsor meeting for March')
    await sidePanel(page).getByLabel('Owner').fill('Alice Archer')
    await shapeWithText(page, 'action', 'for March').waitFor({ timeout: WAIT_MS })

    await context.setOffline(false)
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
    await shapeWithText(bob.page, 'action', 'Book the executive sponsor meeting for March').waitFor({ timeout: WAIT_MS })
    await shapeWithText(bob.page, 'action', 'Alice Archer').waitFor({ timeout: WAIT_MS })
  })

  it('keeps A’s offline edits when A closes the tab, and sends them when A opens the board again', async () => {
    const { alice, bob, boardUrl } = two
    const { page, context } = alice
    await clickShape(page, shapeWithText(page, 'action', 'for March'))
    await context.setOffline(true)
    await page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
    const before = await storedUpdates(page)
    await sidePanel(page).getByLabel('Owner').fill('Priya Nair')
    await shapeWithText(page, 'action', 'Priya Nair').waitFor({ timeout: WAIT_MS })
    // The edit has reached this browser's IndexedDB (and nothing else: the tab is offline).
    const deadline = Date.now() + WAIT_MS
    while ((await storedUpdates(page)) <= before) {
      if (Date.now() > deadline) throw new Error('the offline edit never reached IndexedDB')
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await page.close()

    await context.setOffline(false)
    const reopened = await context.newPage()
    await reopened.goto(`${boardUrl}?name=${encodeURIComponent(alice.name)}`)
    await waitForBoard(reopened)
    await shapeWithText(bob.page, 'action', 'Priya Nair').waitFor({ timeout: WAIT_MS })
  })
})
