/**
 * The stakeholder map in real Chromium with two people (issue 12): new cards land in free space near
 * the middle of the view, never on each other; a relationship line drawn past a card curves around
 * it; its colour follows its kind on both pages, also when someone picks another colour in the
 * style panel.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { TLArrowShape } from 'tldraw'
import { shapeWithText, sidePanel, drawRelationship, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')
const NAMES = ['Maria Chen', 'Helga Brandt', 'Tom Weber']

/** Page bounds of every stakeholder card on `page`. */
function cardBounds(page: Page): Promise<{ x: number; y: number; w: number; h: number }[]> {
  return page.evaluate(() =>
    window.testEditor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'stakeholder')
      .map((shape) => {
        const b = window.testEditor.getShapePageBounds(shape)
        return b ? { x: b.x, y: b.y, w: b.w, h: b.h } : { x: 0, y: 0, w: 0, h: 0 }
      }),
  )
}

/** The only arrow on `page`, or null. */
function arrow(page: Page): Promise<TLArrowShape | null> {
  return page.evaluate(() => (window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'arrow') ?? null) as TLArrowShape | null)
}

describe('the stakeholder map', () => {
  it('places new stakeholder cards in free space, none on another', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    const { page } = alice
    for (const name of NAMES) {
      await page.getByRole('button', { name: 'Add stakeholder' }).click()
      await sidePanel(page).getByLabel('Name', { exact: true }).fill(name)
    }
    await waitUntil(async () => (await cardBounds(bob.page)).length === NAMES.length, 'B has the three cards')
    const cards = await cardBounds(bob.page)
    for (const [i, a] of cards.entries()) {
      for (const b of cards.slice(i + 1)) {
        expect(a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).toBe(false)
      }
    }
  })

  it('curves a line drawn past a card around it, and keeps its colour to its kind on both pages', async () => {
    const { alice, bob } = two
    const { page } = alice
    // The second card went above the first, the third below it: a line from the second to the
    // third would run straight through the first.
    await drawRelationship(page, shapeWithText(page, 'stakeholder', NAMES[1] ?? ''), shapeWithText(page, 'stakeholder', NAMES[2] ?? ''))
    for (const person of [alice, bob]) {
      await waitUntil(async () => Math.abs((await arrow(person.page))?.props.bend ?? 0) > 0, `${person.name} sees the line curved`)
    }

    const kind = sidePanel(page).getByLabel('Relationship kind')
    await kind.selectOption({ label: 'Conflict' })
    await waitUntil(async () => (await arrow(bob.page))?.props.color === 'red', 'B sees a red conflict line')

    // Someone picks green in tldraw's style panel: the line stays a conflict, and red.
    await page.locator('[data-testid="style.color.green"]').click()
    expect((await arrow(page))?.props.color).toBe('red')
    expect((await arrow(page))?.meta.relationship).toBe('conflict')

    await kind.selectOption({ label: 'Ally' })
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await arrow(person.page))?.props.color === 'green', `${person.name} sees a green ally line`)
    }
    expect((await arrow(bob.page))?.props.dash).toBe('solid')
  })
})
