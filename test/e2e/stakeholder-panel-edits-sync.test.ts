/**
 * A stakeholder card created from the board toolbar and filled in through the inspector panel
 * (labelled form controls, no free text on the canvas) shows the same fields on the other page;
 * so does a relationship arrow between two cards, styled by the kind chosen in the panel.
 */
import { describe, expect, it } from 'vitest'
import { clickShape, drawRelationship, shapeWithText, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')

describe('stakeholder card edited in the panel', () => {
  it('shows the fields A set in the panel on B’s card', async () => {
    const { alice, bob } = two
    const { page } = alice
    await page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(page).getByLabel('Name', { exact: true }).fill('Maria Chen')
    await sidePanel(page).getByLabel('Job title').fill('Chief Financial Officer')
    await sidePanel(page).getByLabel('Department').fill('Finance')
    await sidePanel(page).getByLabel('Buying role').selectOption({ label: 'Economic buyer' })
    await sidePanel(page).getByLabel('Influence').selectOption({ label: 'High' })
    await sidePanel(page).getByLabel('Attitude to us').selectOption({ label: 'Champion' })
    await sidePanel(page).getByLabel('Relationship owner').fill('Tom Weber')

    const card = shapeWithText(bob.page, 'stakeholder', 'Maria Chen')
    await card.waitFor({ timeout: WAIT_MS })
    for (const text of ['Chief Financial Officer', 'Finance', 'Economic buyer', 'High influence', 'Champion', 'Tom Weber']) {
      await shapeWithText(bob.page, 'stakeholder', text).waitFor({ timeout: WAIT_MS })
    }
  })

  it('shows B’s later change of one field on A’s card', async () => {
    const { alice, bob } = two
    const { page } = bob
    await clickShape(page, shapeWithText(page, 'stakeholder', 'Maria Chen'))
    // tldraw's screen-reader announcement of the selection names the person and the card's kind
    // (it read the untranslated key, "tool.stakeholder. 1 of 2").
    await page.locator('[role="status"][aria-live]', { hasText: /^Maria Chen, Stakeholder card\. / }).waitFor({ timeout: WAIT_MS })
    await sidePanel(page).getByLabel('Attitude to us').selectOption({ label: 'Skeptic' })

    await shapeWithText(alice.page, 'stakeholder', 'Skeptic').waitFor({ timeout: WAIT_MS })
  })

  it('shows a relationship drawn by A, with the kind chosen in the panel, on B’s page', async () => {
    const { alice, bob } = two
    const { page } = alice
    await page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(page).getByLabel('Name', { exact: true }).fill('Helga Brandt')
    // Move Helga's card up and to the right, off Maria's card.
    const helga = await shapeWithText(page, 'stakeholder', 'Helga Brandt').boundingBox()
    if (!helga) throw new Error('Helga’s card is not visible')
    await page.mouse.move(helga.x + helga.width / 2, helga.y + helga.height / 2)
    await page.mouse.down()
    await page.mouse.move(helga.x + helga.width / 2 + 320, helga.y + helga.height / 2 - 240, { steps: 8 })
    await page.mouse.up()

    await drawRelationship(page, shapeWithText(page, 'stakeholder', 'Maria Chen'), shapeWithText(page, 'stakeholder', 'Helga Brandt'))
    // A new relationship starts as Influences (what the plan would read) and is drawn as one:
    // blue dashed (tldraw's blue, #4465e9), on both pages.
    const kind = sidePanel(page).getByLabel('Relationship kind')
    await kind.waitFor({ timeout: WAIT_MS })
    expect(await kind.inputValue()).toBe('influences')
    await bob.page.locator('.tl-shape[data-shape-type="arrow"] g[stroke="#4465e9"]').waitFor({ timeout: WAIT_MS })
    await kind.selectOption({ label: 'Conflict' })

    // A conflict is drawn as a solid red line (tldraw's red, #e03131).
    await bob.page.locator('.tl-shape[data-shape-type="arrow"] g[stroke="#e03131"]').waitFor({ timeout: WAIT_MS })
  })
})
