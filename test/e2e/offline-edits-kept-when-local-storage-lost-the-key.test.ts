/**
 * docs/server-rules.md [S29]: the server accepts a page's offline edits only from the participant
 * key that wrote them. The page keeps its key in IndexedDB beside the boards' offline copies, so a
 * browser whose localStorage was cleared (and IndexedDB kept) still sends its offline edits under
 * their key when it opens the board again, instead of being refused (4422) and dropping them.
 */
import { describe, it } from 'vitest'
import { clickShape, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { editOfflineAndClose } from '../helpers/offlineCopy.ts'

const two = setUpTwoPeopleOnBoard('actions')

describe('a browser whose localStorage lost the participant key', () => {
  it('still delivers the offline edits its IndexedDB kept', async () => {
    const { alice, bob, boardUrl } = two
    const { page, context } = alice
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill('Book the executive sponsor meeting')
    await shapeWithText(bob.page, 'action', 'Book the executive sponsor meeting').waitFor({ timeout: WAIT_MS })

    await clickShape(page, shapeWithText(page, 'action', 'Book the executive sponsor meeting'))
    await editOfflineAndClose(page, `${two.workshop.id}/actions`, async () => {
      await sidePanel(page).getByLabel('Owner').fill('Priya Nair')
      await shapeWithText(page, 'action', 'Priya Nair').waitFor({ timeout: WAIT_MS })
    })

    // localStorage cleared (a partial clear: IndexedDB kept), before the page runs.
    await context.addInitScript(() => window.localStorage.removeItem('keyplan:participantKey'))
    await context.setOffline(false)
    const reopened = await context.newPage()
    await reopened.goto(`${boardUrl}?name=${encodeURIComponent(alice.name)}`)
    await waitForBoard(reopened)
    await shapeWithText(bob.page, 'action', 'Priya Nair').waitFor({ timeout: WAIT_MS })
  })
})
