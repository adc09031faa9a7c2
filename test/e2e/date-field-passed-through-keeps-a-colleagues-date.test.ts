/**
 * Review of the date field's fix (twenty-sixth session): the field keeps what is typed as its own
 * draft while it has the focus. Someone who only clicked or tabbed into it, typing nothing, while a
 * colleague set the date, wrote the old date back over the colleague's when leaving the field.
 * Only a date this person typed is handed on; one only passed through follows the colleague's.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('objectives')

it("leaving a date field one typed nothing into keeps the date a colleague set meanwhile", async () => {
  const { alice, bob } = two
  await alice.page.getByRole('toolbar', { name: 'Board tools' }).getByRole('button', { name: 'Add objective' }).click()
  await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
  const id: string | null = await alice.page.evaluate(() => window.testEditor.getOnlySelectedShapeId() as string | null)
  const stored = (page: Page): Promise<unknown> =>
    page.evaluate((shapeId) => {
      const shape = window.testEditor.getShape(shapeId as never) as { props: Record<string, unknown> } | undefined
      return shape ? shape.props.targetDate : 'no objective'
    }, id)
  await expect.poll(() => stored(bob.page), { timeout: WAIT_MS }).toBe('')
  await bob.page.evaluate((shapeId) => {
    window.testEditor.select(shapeId as never)
  }, id)

  const aliceDate = sidePanel(alice.page).getByLabel('Target date')
  await aliceDate.focus()
  await sidePanel(bob.page).getByLabel('Target date').fill('2028-03-31')
  await expect.poll(() => stored(alice.page), { timeout: WAIT_MS }).toBe('2028-03-31')
  await expect.poll(() => aliceDate.inputValue(), { timeout: WAIT_MS }).toBe('2028-03-31')
  await aliceDate.blur()
  expect(await stored(alice.page)).toBe('2028-03-31')
  expect(await aliceDate.inputValue()).toBe('2028-03-31')
})
