/**
 * The action plan's status columns and following a participant, with two people on one board:
 * a status changed in the panel moves the card into that status's column on both pages, a card
 * dropped into a column takes its status, and following someone shows in the participant list
 * and on the canvas.
 */
import type { Locator } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { clickShape, shapeWithText, sidePanel, waitForFollowing, WAIT_MS, type Person, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('actions')

/** Whether the middle of `card` lies horizontally within `column`. */
async function isInColumn(card: Locator, column: Locator): Promise<boolean> {
  const [cardBox, columnBox] = await Promise.all([card.boundingBox(), column.boundingBox()])
  if (!cardBox || !columnBox) return false
  const middle = cardBox.x + cardBox.width / 2
  return middle > columnBox.x && middle < columnBox.x + columnBox.width
}

function column(person: Person, title: string): Locator {
  return person.page.locator('.tl-shape[data-shape-type="frame"]', { has: person.page.getByText(title, { exact: true }) })
}

describe('action plan columns', () => {
  it('puts a new action in the Open column and moves it to Done when its status changes', async () => {
    const { alice, bob } = two
    const { page } = alice
    await page.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(page).getByLabel('Title').fill('Send the pilot proposal')
    const aliceCard = shapeWithText(page, 'action', 'Send the pilot proposal')
    await waitUntil(() => isInColumn(aliceCard, column(alice, 'Open')), 'the new card is in the Open column')

    await sidePanel(page).getByLabel('Status').selectOption({ label: 'Done' })
    await waitUntil(() => isInColumn(aliceCard, column(alice, 'Done')), 'the card is in the Done column on A’s page')

    const bobCard = shapeWithText(bob.page, 'action', 'Send the pilot proposal')
    await bobCard.waitFor({ timeout: WAIT_MS })
    await waitUntil(() => isInColumn(bobCard, column(bob, 'Done')), 'the card is in the Done column on B’s page')
    expect(await bobCard.textContent()).toContain('Done')
  })

  it('sets the status of a card dropped into another column', async () => {
    const { alice, bob } = two
    const { page } = bob
    const card = shapeWithText(page, 'action', 'Send the pilot proposal')
    const [from, to] = await Promise.all([card.boundingBox(), column(bob, 'Blocked').boundingBox()])
    if (!from || !to) throw new Error('card or column not visible')
    await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2)
    await page.mouse.down()
    await page.mouse.move(to.x + to.width / 2, to.y + from.height, { steps: 12 })
    await page.mouse.up()

    await shapeWithText(page, 'action', 'Blocked').waitFor({ timeout: WAIT_MS })
    await shapeWithText(alice.page, 'action', 'Blocked').waitFor({ timeout: WAIT_MS })
    const aliceCard = shapeWithText(alice.page, 'action', 'Send the pilot proposal')
    await waitUntil(() => isInColumn(aliceCard, column(alice, 'Blocked')), 'the card is in the Blocked column on A’s page')
  })
})

describe('following a participant', () => {
  it('lets B follow A from the participant list and stop again', async () => {
    const { bob } = two
    const { page } = bob
    await clickShape(page, shapeWithText(page, 'action', 'Send the pilot proposal')) // B's pointer on the board too
    await sidePanel(page).getByRole('button', { name: 'Follow Alice Archer' }).click()
    await sidePanel(page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
    await waitForFollowing(page)

    await sidePanel(page).getByRole('button', { name: 'Stop following' }).click()
    await sidePanel(page).getByRole('button', { name: 'Follow Alice Archer' }).waitFor({ timeout: WAIT_MS })
  })
})
