/**
 * Undo in real Chromium with two people on the stakeholder map (issue 12): one Undo takes back one
 * gesture of one's own (a drag, a field chosen in the panel, a burst of typing, the typing of a
 * sticky note before the note itself, a new card's fields before the card), and never what the
 * other person did meanwhile.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { addNoteWithKeyboard, shapeWithText, sidePanel, WAIT_MS, clickShape, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')

/** The stakeholder card named `name` as `page`'s store holds it, or null. */
function cardNamed(page: Page, name: string): Promise<StakeholderCardShape | null> {
  return page.evaluate((wanted) => {
    const shapes = window.testEditor.getCurrentPageShapes()
    return (shapes.find((shape) => shape.type === 'stakeholder' && (shape as StakeholderCardShape).props.name === wanted) ?? null) as StakeholderCardShape | null
  }, name)
}

/** The page's stakeholder card with id `id`, or null. */
function cardById(page: Page, id: string): Promise<StakeholderCardShape | null> {
  return page.evaluate((wanted) => (window.testEditor.getShape(wanted as never) ?? null) as StakeholderCardShape | null, id)
}

/** Presses Undo on the canvas, as a person does after working on it. */
async function undo(page: Page): Promise<void> {
  await page.locator('.tl-container').focus()
  await page.keyboard.press('ControlOrMeta+z')
}

describe('undo with two people on the board', () => {
  it('takes back A’s drag, then A’s fields one by one, and keeps B’s notes on the same card', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    const { page } = alice
    await page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(page).getByLabel('Name', { exact: true }).fill('Maria Chen')
    await sidePanel(page).getByLabel('Attitude to us').selectOption({ label: 'Champion' })
    const created = await cardNamed(page, 'Maria Chen')
    if (!created) throw new Error('A’s card is not in A’s store')
    const id = created.id

    const box = await shapeWithText(page, 'stakeholder', 'Maria Chen').boundingBox()
    if (!box) throw new Error('A’s card is not visible')
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2)
    await page.mouse.down()
    await page.mouse.move(box.x + box.width / 2 + 300, box.y + box.height / 2 + 40, { steps: 10 })
    await page.mouse.up()
    await waitUntil(async () => (await cardById(bob.page, id))?.x !== created.x, 'B sees the card moved')

    await clickShape(bob.page, shapeWithText(bob.page, 'stakeholder', 'Maria Chen'))
    await sidePanel(bob.page).getByLabel('Notes').fill('Prefers a 3-year TCO view.')
    await waitUntil(async () => (await cardById(page, id))?.props.notes === 'Prefers a 3-year TCO view.', 'A has B’s notes')

    await undo(page)
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await cardById(person.page, id))?.x === created.x, `${person.name} sees the card back where it was`)
      expect(await cardById(person.page, id)).toMatchObject({ y: created.y, props: { name: 'Maria Chen', attitude: 'champion', notes: 'Prefers a 3-year TCO view.' } })
    }

    await undo(page)
    await waitUntil(async () => (await cardById(bob.page, id))?.props.attitude === null, 'the attitude is taken back (not assessed) on B’s page')
    expect((await cardById(bob.page, id))?.props).toMatchObject({ name: 'Maria Chen', notes: 'Prefers a 3-year TCO view.' })

    await undo(page)
    await waitUntil(async () => (await cardById(bob.page, id))?.props.name === '', 'the name is taken back on B’s page')

    // Undoing the card itself would throw away B's notes: the card stays.
    await undo(page)
    await page.keyboard.press('ControlOrMeta+z')
    expect((await cardById(page, id))?.props.notes).toBe('Prefers a 3-year TCO view.')
    expect((await cardById(bob.page, id))?.props.notes).toBe('Prefers a 3-year TCO view.')
  })

  it('takes back a new card’s fields one by one, then the card itself', async () => {
    const { alice, bob } = two
    const { page } = alice
    await page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(page).getByLabel('Name', { exact: true }).fill('Lars Berg')
    await sidePanel(page).getByLabel('Attitude to us').selectOption({ label: 'Blocker' })
    const created = await cardNamed(page, 'Lars Berg')
    if (!created) throw new Error('A’s card is not in A’s store')
    await waitUntil(async () => (await cardById(bob.page, created.id))?.props.attitude === 'blocker', 'B sees the card')

    await undo(page)
    await waitUntil(async () => (await cardById(bob.page, created.id))?.props.attitude === null, 'the attitude is taken back (not assessed) first')
    expect((await cardById(bob.page, created.id))?.props.name).toBe('Lars Berg')
    await undo(page)
    await waitUntil(async () => (await cardById(bob.page, created.id))?.props.name === '', 'then the name')
    await undo(page)
    for (const person of [alice, bob]) await waitUntil(async () => (await cardById(person.page, created.id)) === null, `then the card, on ${person.name}’s page`)
  })

  it('takes back a burst of typing at a time', async () => {
    const { alice, bob } = two
    const { page } = alice
    await page.getByRole('button', { name: 'Add stakeholder' }).click()
    const owner = sidePanel(page).getByLabel('Relationship owner')
    await owner.click()
    await page.keyboard.type('Tom')
    // A pause longer than TYPING_PAUSE_MS (client/board/undoSteps.ts) ends the first burst.
    await page.waitForTimeout(1500)
    await page.keyboard.type(' Weber')
    const card = await page.evaluate(() => window.testEditor.getOnlySelectedShape()?.id ?? '')
    await waitUntil(async () => (await cardById(bob.page, card))?.props.owner === 'Tom Weber', 'B sees the owner')

    await undo(page)
    await waitUntil(async () => (await cardById(bob.page, card))?.props.owner === 'Tom', 'the second burst is taken back')
    await undo(page)
    await waitUntil(async () => (await cardById(bob.page, card))?.props.owner === '', 'the first burst is taken back')
  })

  it('takes back the typing of a sticky note before the note', async () => {
    const { alice, bob } = two
    const { page } = alice
    await addNoteWithKeyboard(page, 0.75, 0.75, 'Budget frozen until Q3')
    await shapeWithText(bob.page, 'note', 'Budget frozen until Q3').waitFor({ timeout: WAIT_MS })
    const noteCount = () => page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'note').length)
    const before = await noteCount()

    await undo(page)
    await shapeWithText(bob.page, 'note', 'Budget frozen until Q3').waitFor({ state: 'detached', timeout: WAIT_MS })
    expect(await noteCount()).toBe(before)

    await undo(page)
    await waitUntil(async () => (await noteCount()) === before - 1, 'the note itself is taken back')
  })
})
