/**
 * Two people typing into the same card field (issue 12, docs/decisions/006-concurrent-text.md), in
 * real Chromium: the field never ends with their characters interleaved; while one types, the
 * other's copy of the field is read-only and says who is typing; when both started at once, the one
 * who started later keeps their text on screen and can add it afterwards.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { EDITING_META_KEY } from '../../client/board/fieldLocks.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { clickShape, shapeWithText, sidePanel, WAIT_MS, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')

const ALICE_TEXT = 'Prefers a 3-year TCO view.'
const BOB_TEXT = 'Met at LogiMAT 2026.'

/** The notes of the only stakeholder card named `name` on `page`. */
function notesOf(page: Page, name: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const card = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'stakeholder' && (shape as StakeholderCardShape).props.name === wanted)
    return card ? (card as StakeholderCardShape).props.notes : null
  }, name)
}

/** Whether `page` sees a peer typing into a field (a claim in someone's presence). */
function claimsSeenBy(page: Page): Promise<boolean> {
  return page.evaluate((key) => window.testEditor.store.query.records('instance_presence').get().some((presence) => key in presence.meta), EDITING_META_KEY)
}

describe('two people typing into one card field', () => {
  it('makes the field read-only for B while A types into it, and names A', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    await alice.page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(alice.page).getByLabel('Name', { exact: true }).fill('Maria Chen')
    await clickShape(bob.page, shapeWithText(bob.page, 'stakeholder', 'Maria Chen'))

    await sidePanel(alice.page).getByLabel('Notes').click()
    await alice.page.keyboard.type('Owns the ')
    const bobNotes = sidePanel(bob.page).getByLabel('Notes')
    // The Notes field itself (CI: the message of A's claim on Name, from filling it in, was still
    // shown while B's page had not yet heard of her claim on Notes).
    await waitUntil(async () => (await bobNotes.getAttribute('readonly')) !== null, 'B’s Notes read-only')
    const typing = await bobNotes.getAttribute('aria-describedby')
    expect(await bob.page.locator(`[id="${typing}"]`).textContent()).toBe('Alice Archer is typing here…')
    await bobNotes.click()
    await bob.page.keyboard.type('xyz')
    // Keys typed into the locked field are not canvas shortcuts either ('z' would pick the zoom tool).
    expect(await bob.page.evaluate(() => window.testEditor.getCurrentToolId())).toBe('select')
    await alice.page.keyboard.type('budget.')
    await waitUntil(async () => (await notesOf(bob.page, 'Maria Chen')) === 'Owns the budget.', 'B sees A’s whole text')
    // Nobody else typed: A's page does not say someone started at the same moment.
    expect(await sidePanel(alice.page).getByText('at the same moment as you').count()).toBe(0)

    await alice.page.keyboard.press('Tab')
    await sidePanel(bob.page).getByText('Alice Archer is typing here…').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await bobNotes.getAttribute('readonly')).toBeNull()
    expect(await notesOf(alice.page, 'Maria Chen')).toBe('Owns the budget.')
  })

  it('keeps the text of the one who started later on screen, never interleaved, and lets them put it in', async () => {
    const { alice, bob } = two
    await sidePanel(bob.page).getByLabel('Notes').fill('')
    await bob.page.keyboard.press('Tab')
    await waitUntil(async () => (await notesOf(alice.page, 'Maria Chen')) === '', 'the notes are empty on A’s page')
    // B's claim from emptying the field has ended on A's page too (presence travels apart from the
    // document): going offline with it still published would leave A locked out by a stale claim.
    await waitUntil(async () => !(await claimsSeenBy(alice.page)), 'A sees nobody typing')

    // B's network drops, so neither sees the other start: the widest "at the same time" there is.
    await bob.context.setOffline(true)
    await sidePanel(alice.page).getByLabel('Notes').click()
    await alice.page.keyboard.type(ALICE_TEXT)
    await sidePanel(bob.page).getByLabel('Notes').click()
    await bob.page.keyboard.type(BOB_TEXT)
    await bob.context.setOffline(false)
    await bob.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
    // A is still typing when B is back.
    await alice.page.keyboard.type(' Budget owner.')

    const kept = sidePanel(bob.page).getByRole('alert')
    await kept.waitFor({ timeout: WAIT_MS })
    expect(await kept.getByRole('textbox').inputValue()).toBe(BOB_TEXT)
    const aliceFinal = `${ALICE_TEXT} Budget owner.`
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await notesOf(person.page, 'Maria Chen')) === aliceFinal, `${person.name} has A’s text, whole`)
    }

    await alice.page.keyboard.press('Tab')
    const addMine = kept.getByRole('button', { name: 'Add my text' })
    await waitUntil(() => addMine.isEnabled(), 'B may put their text in once A is done')
    await addMine.click()
    // Added after A's text, which stays (both wrote into the empty field).
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await notesOf(person.page, 'Maria Chen')) === `${aliceFinal} ${BOB_TEXT}`, `${person.name} has both texts, whole`)
    }
  })

})
