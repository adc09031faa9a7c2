/**
 * A person who loses the network keeps editing; the board says so, and when the network is back
 * the edits reach the other page, even if the tab was closed in between (they wait in IndexedDB).
 */
import { describe, it } from 'vitest'
import { clickShape, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { editOfflineAndClose } from '../helpers/offlineCopy.ts'

const two = setUpTwoPeopleOnBoard('actions')

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
    await editOfflineAndClose(page, `${two.workshop.id}/actions`, async () => {
      await sidePanel(page).getByLabel('Owner').fill('Priya Nair')
      await shapeWithText(page, 'action', 'Priya Nair').waitFor({ timeout: WAIT_MS })
    })

    await context.setOffline(false)
    const reopened = await context.newPage()
    await reopened.goto(`${boardUrl}?name=${encodeURIComponent(alice.name)}`)
    await waitForBoard(reopened)
    await shapeWithText(bob.page, 'action', 'Priya Nair').waitFor({ timeout: WAIT_MS })
  })
})
