/**
 * QA q30a in Chromium: a team member wrote a stakeholder's Notes (internal by default) offline,
 * and the facilitator made Notes customer-visible meanwhile. Back online after the server's grace
 * for writes routed by the old sensitivity ([A37], 30 s), the text went into the internal
 * document, where nobody reads a visible field: it was dropped without a word. Now the page says
 * so, with the text to copy (client/board/offlineEdits.ts).
 */
import { expect, it } from 'vitest'
import { SENSITIVITY_GRACE_MS } from '../../server/sync/SensitivityGrace.ts'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { setSensitivity } from '../helpers/boardPartsOnServer.ts'
import { clickShape, shapeWithText, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')

it("says a team member's offline text to a field made customer-visible meanwhile was not kept, past the server's grace (QA q30a)", { timeout: SENSITIVITY_GRACE_MS + 60_000 }, async () => {
  const { alice, bob } = two
  await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
  await alice.page.getByRole('button', { name: 'Add stakeholder' }).click()
  await sidePanel(alice.page).getByLabel('Name', { exact: true }).fill('Ana Silva')
  await sidePanel(alice.page).getByLabel('Notes').fill('First note')
  await sidePanel(alice.page).getByLabel('Notes').press('Tab')
  await shapeWithText(bob.page, 'stakeholder', 'Ana Silva').waitFor({ timeout: WAIT_MS })
  await clickShape(bob.page, shapeWithText(bob.page, 'stakeholder', 'Ana Silva'))
  await expect.poll(() => sidePanel(bob.page).getByLabel('Notes').inputValue(), { timeout: WAIT_MS }).toBe('First note')

  await bob.context.setOffline(true)
  await bob.page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
  await sidePanel(bob.page).getByLabel('Notes').fill('Bob offline: margin floor 12 %')
  await sidePanel(bob.page).getByLabel('Notes').press('Tab')
  await setSensitivity(two.server, two.workshop, { 'stakeholder.notes': 'visible' })
  // Past the grace in which the server would still take and move a write routed the old way.
  await new Promise((resolve) => setTimeout(resolve, SENSITIVITY_GRACE_MS + 1000))
  await bob.context.setOffline(false)
  await bob.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })

  const notice = bob.page.getByRole('alert').filter({ hasText: 'Your offline change to Notes on ‘Ana Silva’ was not kept: you wrote it as internal, and the facilitator made Notes customer-visible while you were offline' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.locator('blockquote').textContent()).toBe('Bob offline: margin floor 12 %')
  const notes = (page: typeof alice.page) =>
    page.evaluate(() => (window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'stakeholder') as StakeholderCardShape | undefined)?.props.notes)
  expect(await notes(alice.page)).toBe('First note')
  expect(await notes(bob.page)).toBe('First note')
})
