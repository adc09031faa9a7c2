/**
 * QA defect (session 18): on the stakeholder map, one person selects two cards and the relationship
 * line between them, deletes them and presses Ctrl+Z. The line is an internal kind (influence), so
 * it and its bindings live in the board's internal document while the cards live in the shared one
 * (decision 004): the other person's page received the re-created records as two remote changes,
 * put the line's bindings in before their cards, tldraw dropped them, and that page wrote the
 * unbound, zero-length line back for everyone. Both pages, and both after a reload, must show the
 * line bound to both cards, and the plan must keep the relationship.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { clickShape, sidePanel, WAIT_MS, waitForBoard, waitUntil } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')
const NAMES = ['Maria Chen', 'Helga Brandt']

/** The line on `page`: its kind and the cards (by name) its ends are bound to, sorted; null without one. */
function line(page: Page): Promise<{ kind: unknown; ends: string[]; length: number } | null> {
  return page.evaluate(() => {
    const editor = window.testEditor
    const arrow = editor.getCurrentPageShapes().find((shape) => shape.type === 'arrow')
    if (!arrow) return null
    const ends = editor
      .getBindingsFromShape(arrow.id, 'arrow')
      .map((binding) => {
        const card = editor.getShape(binding.toId)
        return card && 'name' in card.props ? String(card.props.name) : `missing ${binding.toId}`
      })
      .sort()
    const bounds = editor.getShapePageBounds(arrow.id)
    return { kind: arrow.meta.relationship, ends, length: bounds ? Math.hypot(bounds.w, bounds.h) : 0 }
  })
}

/** Waits until `page` shows the line between both cards; returns what it shows then. */
async function waitForBoundLine(page: Page, who: string) {
  await waitUntil(async () => (await line(page))?.ends.length === 2, `${who} shows the line bound at both ends`)
  return line(page)
}

/**
 * Puts a relationship line of the default kind between the two cards through A's editor, as the
 * "Add relationship" tool leaves it: an arrow and a binding at each end, in one user change.
 */
async function connectCards(page: Page): Promise<void> {
  await page.evaluate((names) => {
    const editor = window.testEditor
    const [from, to] = names.map((name) => editor.getCurrentPageShapes().find((shape) => 'name' in shape.props && shape.props.name === name))
    if (!from || !to) throw new Error('cards not found')
    const id = `shape:line-${Date.now()}` as never // a shape id
    editor.run(() => {
      editor.createShape({ id, type: 'arrow', x: from.x, y: from.y, meta: { relationship: 'influences' }, props: { start: { x: 0, y: 0 }, end: { x: to.x - from.x, y: to.y - from.y } } })
      const props = { isPrecise: false, isExact: false, normalizedAnchor: { x: 0.5, y: 0.5 }, snap: 'center' as const }
      editor.createBindings([
        { type: 'arrow', fromId: id, toId: from.id, props: { ...props, terminal: 'start' } },
        { type: 'arrow', fromId: id, toId: to.id, props: { ...props, terminal: 'end' } },
      ])
    })
  }, NAMES)
}

const cardCount = (page: Page) => page.evaluate(() => window.testEditor.getCurrentPageShapes().filter((shape) => shape.type === 'stakeholder').length)

/** Both cards back and the line bound to both on each page (`first` first), then again after each reloads. */
async function expectCardsAndBoundLine(people: readonly (typeof two.alice)[]): Promise<void> {
  const expected = [...NAMES].sort()
  for (const person of people) {
    await waitUntil(async () => (await cardCount(person.page)) === 2, `${person.name} has both cards back`)
    expect((await waitForBoundLine(person.page, person.name))?.ends).toEqual(expected)
  }
  for (const person of [two.alice, two.bob]) {
    await person.page.reload()
    await waitForBoard(person.page)
    await exposeEditor(person.page)
    await waitUntil(async () => (await cardCount(person.page)) === 2, `${person.name} has both cards after a reload`)
    const shown = await waitForBoundLine(person.page, person.name)
    expect(shown?.ends, `${person.name}'s line after a reload`).toEqual(expected)
    expect(shown?.length ?? 0).toBeGreaterThan(10) // not the zero-length line of the defect
  }
}

describe('undoing the deletion of two cards and the line between them', () => {
  it('keeps the line bound to both cards on both pages, after a reload, and in the plan', async () => {
    const { alice, bob, workshop } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    const { page } = alice
    for (const name of NAMES) {
      await page.getByRole('button', { name: 'Add stakeholder' }).click()
      await sidePanel(page).getByLabel('Name', { exact: true }).fill(name)
    }
    await waitUntil(async () => (await cardCount(bob.page)) === 2, 'B has both cards')
    await connectCards(page)
    const drawn = await waitForBoundLine(bob.page, 'B')
    expect(drawn?.kind).toBe('influences') // an internal kind: the line lives in the internal document
    await waitForBoundLine(page, 'A')

    // A: Ctrl+A, Delete, then Ctrl+Z (three shapes: no confirmation).
    await clickShape(page, page.locator('.tl-shape[data-shape-type="stakeholder"]').first()) // focuses the canvas
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await cardCount(person.page)) === 0 && (await line(person.page)) === null, `${person.name} shows the board empty`)
    }
    await page.keyboard.press('Control+z')

    await expectCardsAndBoundLine([two.bob, two.alice])

    const response = await workshopFetch(`${two.server.url}/api/workshops/${workshop.id}/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"label":"After undo"}',
    })
    const plan = PlanRecordSchema.parse(await response.json())
    expect(plan.relationships).toHaveLength(1)
    expect(plan.relationships[0]?.kind).toBe('influences')
  })

  it('keeps the line bound when the deletion is reverted from History', async () => {
    const { alice, bob } = two
    const { page } = alice
    await clickShape(page, page.locator('.tl-shape[data-shape-type="stakeholder"]').first()) // focuses the canvas
    await page.keyboard.press('Control+a')
    await page.keyboard.press('Delete')
    for (const person of [alice, bob]) {
      await waitUntil(async () => (await cardCount(person.page)) === 0 && (await line(person.page)) === null, `${person.name} shows the board empty`)
    }
    // B reverts it: the server writes both parts, and both pages receive them as separate changes.
    await bob.page.getByRole('button', { name: 'History' }).click()
    const panel = bob.page.getByRole('dialog', { name: /^History of/ })
    await panel.getByRole('button', { name: /^Revert: Alice Archer deleted/ }).first().click()
    await panel.getByRole('status').filter({ hasText: /^Reverted/ }).waitFor({ timeout: WAIT_MS })

    await expectCardsAndBoundLine([two.alice, two.bob])
  })
})
