/**
 * An offline edit that loses to a newer edit is announced (issue 12, client/board/offlineEdits.ts),
 * in real Chromium with two pages: one page goes offline and changes a card's Notes and a sticky
 * note's text while the other changes the same texts online. When it reconnects, Yjs keeps one
 * value per field: the page whose offline text was replaced says so, names the card, the field and
 * who won, and shows its text to copy; the page that won shows nothing, and a page whose offline
 * edit nobody else touched shows nothing either.
 *
 * Which concurrent write Yjs keeps depends on the writers' client ids (of two entries appended
 * after the same entry, the higher client's ends up last and wins), so the test reads them from
 * the presence records (`awareness-<clientId>`) and takes the page with the lower one offline.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import type { StakeholderCardShape } from '../../shared/shapes.ts'
import { addNoteWithKeyboard, clickShape, drawRelationship, shapeWithText, sidePanel, WAIT_MS, waitForTextEditing, waitUntil, type Person } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const two = setUpTwoPeopleOnBoard('stakeholders')

/** The Yjs client id of the one peer `page` sees. */
async function peerClientId(page: Page): Promise<number> {
  const ids = await page.evaluate(() =>
    window.testEditor.store.query
      .records('instance_presence')
      .get()
      .map((presence) => presence.id),
  )
  expect(ids).toHaveLength(1)
  return Number(/awareness-(\d+)$/.exec(ids[0] ?? '')?.[1])
}

/** What `page` holds as `field` of the stakeholder card named `name`. */
function cardField(page: Page, name: string, field: 'notes' | 'owner'): Promise<string | null> {
  return page.evaluate(
    ([wanted, key]) => {
      const card = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'stakeholder' && (shape as StakeholderCardShape).props.name === wanted)
      return card ? (card as StakeholderCardShape).props[key] : null
    },
    [name, field] as const,
  )
}

/** The influence `page` holds on the stakeholder card named `name`. */
function cardInfluence(page: Page, name: string): Promise<string | null> {
  return page.evaluate((wanted) => {
    const card = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'stakeholder' && (shape as StakeholderCardShape).props.name === wanted)
    return card ? (card as StakeholderCardShape).props.influence : null
  }, name)
}

/** How many ends of the one arrow on `page` are bound to a shape that is on the board. */
function boundEnds(page: Page): Promise<number> {
  return page.evaluate(() => {
    const editor = window.testEditor
    const arrow = editor.getCurrentPageShapes().find((shape) => shape.type === 'arrow')
    if (!arrow) return -1
    return editor.getBindingsFromShape(arrow, 'arrow').filter((binding) => editor.getShape(binding.toId) !== undefined).length
  })
}

/** The plain text of the one note on `page`. */
function noteText(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const note = window.testEditor.getCurrentPageShapes().find((shape) => shape.type === 'note')
    return note ? (window.testEditor.getShapeUtil(note).getText(note) ?? '') : null
  })
}

async function goOffline(person: Person): Promise<void> {
  await person.context.setOffline(true)
  await person.page.locator('.connection[data-state="offline"]').waitFor({ timeout: WAIT_MS })
}

async function goOnline(person: Person): Promise<void> {
  await person.context.setOffline(false)
  await person.page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
}

/** Retypes the only note's text on `page` (double-click, select all, type, leave). */
async function retypeNote(page: Page, text: string): Promise<void> {
  await page.evaluate(() => {
    window.testEditor.setCurrentTool('select')
  })
  await clickShape(page, page.locator('.tl-shape[data-shape-type="note"]'), { double: true })
  await waitForTextEditing(page)
  await page.keyboard.press('Control+A')
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
}

const notices = (page: Page) => page.getByRole('alert').filter({ hasText: /Your offline (change|delete)/ })

/** Lets the page finish what it does once synced (the comparison runs a couple of frames later). */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => requestAnimationFrame(resolve)))))

describe('an offline edit that lost to a newer edit', () => {
  it('is announced on the page that made it, naming the card, the field and who won; not on the winning page', async () => {
    const { alice, bob } = two
    await Promise.all([exposeEditor(alice.page), exposeEditor(bob.page)])
    await alice.page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(alice.page).getByLabel('Name', { exact: true }).fill('Ana Silva')
    await addNoteWithKeyboard(alice.page, 0.75, 0.75, 'Budget review')
    await shapeWithText(bob.page, 'note', 'Budget review').waitFor({ timeout: WAIT_MS })
    // A's claim on the note's text has ended on B's page too, before either goes offline.
    await bob.page.locator('.text-typing').waitFor({ state: 'detached', timeout: WAIT_MS })
    await clickShape(bob.page, shapeWithText(bob.page, 'stakeholder', 'Ana Silva'))
    await clickShape(alice.page, shapeWithText(alice.page, 'stakeholder', 'Ana Silva'))

    const aliceId = await peerClientId(bob.page)
    const bobId = await peerClientId(alice.page)
    const [loser, winner] = aliceId < bobId ? [alice, bob] : [bob, alice]

    await goOffline(loser)
    await sidePanel(loser.page).getByLabel('Notes').fill('Met at LogiMAT 2026.')
    await sidePanel(loser.page).getByLabel('Notes').press('Tab')
    await retypeNote(loser.page, 'Offline idea')
    await sidePanel(winner.page).getByLabel('Notes').fill('Prefers a 3-year TCO view.')
    await sidePanel(winner.page).getByLabel('Notes').press('Tab')
    await retypeNote(winner.page, 'Newer idea')
    await goOnline(loser)

    for (const person of [loser, winner]) {
      await waitUntil(async () => (await cardField(person.page, 'Ana Silva', 'notes')) === 'Prefers a 3-year TCO view.', `${person.name} has the newer notes`)
      await waitUntil(async () => (await noteText(person.page)) === 'Newer idea', `${person.name} has the newer note text`)
    }
    const notesNotice = notices(loser.page).filter({ hasText: `Your offline change to Notes on ‘Ana Silva’ was replaced by ${winner.name}’s newer edit` })
    await notesNotice.waitFor({ timeout: WAIT_MS })
    expect(await notesNotice.locator('blockquote').textContent()).toBe('Met at LogiMAT 2026.')
    expect(await notesNotice.getByRole('button', { name: 'Copy my text' }).isVisible()).toBe(true)
    const noteNotice = notices(loser.page).filter({ hasText: `Your offline change to Text on ‘Newer idea’ was replaced by ${winner.name}’s newer edit` })
    await noteNotice.waitFor({ timeout: WAIT_MS })
    expect(await noteNotice.locator('blockquote').textContent()).toBe('Offline idea')

    await settle(winner.page)
    expect(await notices(winner.page).count()).toBe(0)

    await notesNotice.getByRole('button', { name: 'Dismiss' }).click()
    await noteNotice.getByRole('button', { name: 'Dismiss' }).click()
    expect(await notices(loser.page).count()).toBe(0)
  })

  it('gives way when client ids would keep it: the colleague who stayed online keeps their newer edit, dates and choices too (QA q30a)', async () => {
    const { alice, bob } = two
    const aliceId = await peerClientId(bob.page)
    const bobId = await peerClientId(alice.page)
    // The page Yjs would let win: the higher client id, offline.
    const [offline, online] = aliceId > bobId ? [alice, bob] : [bob, alice]
    await clickShape(offline.page, shapeWithText(offline.page, 'stakeholder', 'Ana Silva'))
    await clickShape(online.page, shapeWithText(online.page, 'stakeholder', 'Ana Silva'))

    await goOffline(offline)
    await sidePanel(offline.page).getByLabel('Notes').fill('Offline: wants a pilot first.')
    await sidePanel(offline.page).getByLabel('Notes').press('Tab')
    await sidePanel(offline.page).getByLabel('Influence').selectOption({ label: 'High' })
    await sidePanel(online.page).getByLabel('Notes').fill('Online, later: signed the pilot.')
    await sidePanel(online.page).getByLabel('Notes').press('Tab')
    await sidePanel(online.page).getByLabel('Influence').selectOption({ label: 'Low' })
    await waitUntil(async () => (await cardField(online.page, 'Ana Silva', 'notes')) === 'Online, later: signed the pilot.', `${online.name} wrote the notes`)
    await goOnline(offline)

    for (const person of [offline, online]) {
      await waitUntil(async () => (await cardField(person.page, 'Ana Silva', 'notes')) === 'Online, later: signed the pilot.', `${person.name} keeps the online notes`)
      await waitUntil(async () => (await cardInfluence(person.page, 'Ana Silva')) === 'low', `${person.name} keeps the online influence`)
    }
    const notesNotice = notices(offline.page).filter({ hasText: `Your offline change to Notes on ‘Ana Silva’ was replaced by ${online.name}’s newer edit. Your text:` })
    await notesNotice.waitFor({ timeout: WAIT_MS })
    expect(await notesNotice.locator('blockquote').textContent()).toBe('Offline: wants a pilot first.')
    const influenceNotice = notices(offline.page).filter({ hasText: `Your offline change to Influence on ‘Ana Silva’ was replaced by ${online.name}’s newer edit. Your value:` })
    await influenceNotice.waitFor({ timeout: WAIT_MS })
    expect(await influenceNotice.locator('blockquote').textContent()).toBe('High')
    expect(await influenceNotice.getByRole('button', { name: 'Copy my value' }).isVisible()).toBe(true)
    await settle(online.page)
    expect(await notices(online.page).count()).toBe(0)
    await notesNotice.getByRole('button', { name: 'Dismiss' }).click()
    await influenceNotice.getByRole('button', { name: 'Dismiss' }).click()
  })

  it('is not announced when nobody else changed the field', async () => {
    const { alice, bob } = two
    const aliceId = await peerClientId(bob.page)
    const bobId = await peerClientId(alice.page)
    const [loser, winner] = aliceId < bobId ? [alice, bob] : [bob, alice]
    await clickShape(loser.page, shapeWithText(loser.page, 'stakeholder', 'Ana Silva'))

    await goOffline(loser)
    await sidePanel(loser.page).getByLabel('Relationship owner').fill('Jana Novak')
    await sidePanel(loser.page).getByLabel('Relationship owner').press('Tab')
    await goOnline(loser)
    await waitUntil(async () => (await cardField(winner.page, 'Ana Silva', 'owner')) === 'Jana Novak', `${winner.name} has the offline owner`)
    await settle(loser.page)
    expect(await notices(loser.page).count()).toBe(0)
    expect(await cardField(loser.page, 'Ana Silva', 'owner')).toBe('Jana Novak')
  })

  it('is announced when a colleague deleted the card meanwhile, with the text typed offline (QA q27b)', async () => {
    const { alice, bob } = two
    const [loser, winner] = [alice, bob]
    await loser.page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(loser.page).getByLabel('Name', { exact: true }).fill('Bea Gone')
    await sidePanel(loser.page).getByLabel('Name', { exact: true }).press('Tab')
    await shapeWithText(winner.page, 'stakeholder', 'Bea Gone').waitFor({ timeout: WAIT_MS })

    await goOffline(loser)
    await sidePanel(loser.page).getByLabel('Notes').fill('Sponsor of the 2027 tender; call before Friday.')
    await sidePanel(loser.page).getByLabel('Notes').press('Tab')
    await clickShape(winner.page, shapeWithText(winner.page, 'stakeholder', 'Bea Gone'))
    await winner.page.keyboard.press('Delete')
    await shapeWithText(winner.page, 'stakeholder', 'Bea Gone').waitFor({ state: 'detached', timeout: WAIT_MS })
    await goOnline(loser)

    await shapeWithText(loser.page, 'stakeholder', 'Bea Gone').waitFor({ state: 'detached', timeout: WAIT_MS })
    const notice = notices(loser.page).filter({ hasText: 'Your offline change to Notes on ‘Bea Gone’ was lost: it is no longer on the board' })
    await notice.waitFor({ timeout: WAIT_MS })
    expect(await notice.locator('blockquote').textContent()).toBe('Sponsor of the 2027 tender; call before Friday.')
    await settle(winner.page)
    expect(await notices(winner.page).count()).toBe(0)
    await notice.getByRole('button', { name: 'Dismiss' }).click()
  })

  it('is not announced for a card this person deleted themselves while offline', async () => {
    const { alice, bob } = two
    await alice.page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(alice.page).getByLabel('Name', { exact: true }).fill('Cy Mine')
    await sidePanel(alice.page).getByLabel('Name', { exact: true }).press('Tab')
    await shapeWithText(bob.page, 'stakeholder', 'Cy Mine').waitFor({ timeout: WAIT_MS })
    await goOffline(alice)
    await sidePanel(alice.page).getByLabel('Notes').fill('Draft that went with the card')
    await sidePanel(alice.page).getByLabel('Notes').press('Tab')
    await clickShape(alice.page, shapeWithText(alice.page, 'stakeholder', 'Cy Mine'))
    await alice.page.keyboard.press('Delete')
    await goOnline(alice)
    await shapeWithText(bob.page, 'stakeholder', 'Cy Mine').waitFor({ state: 'detached', timeout: WAIT_MS })
    await settle(alice.page)
    expect(await notices(alice.page).count()).toBe(0)
  })

  it('an offline delete gives way to a colleague who changed the note meanwhile: it comes back with their text, and the page says so (QA q30a)', async () => {
    const { alice, bob } = two
    await addNoteWithKeyboard(bob.page, 0.3, 0.3, 'Strong rail network')
    await shapeWithText(alice.page, 'note', 'Strong rail network').waitFor({ timeout: WAIT_MS })
    await alice.page.locator('.text-typing').waitFor({ state: 'detached', timeout: WAIT_MS })

    await goOffline(alice)
    await clickShape(alice.page, shapeWithText(alice.page, 'note', 'Strong rail network'))
    await alice.page.keyboard.press('Delete')
    await shapeWithText(alice.page, 'note', 'Strong rail network').waitFor({ state: 'detached', timeout: WAIT_MS })
    await bob.page.keyboard.press('Escape')
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Strong rail network'), { double: true })
    await waitForTextEditing(bob.page)
    await bob.page.keyboard.press('Control+A')
    await bob.page.keyboard.type('Strong rail network and ports')
    await bob.page.keyboard.press('Escape')
    await shapeWithText(bob.page, 'note', 'Strong rail network and ports').waitFor({ timeout: WAIT_MS })
    await goOnline(alice)

    const notice = notices(alice.page).filter({ hasText: `Your offline delete of ‘Strong rail network and ports’ was undone: ${bob.name} changed it while you were offline.` })
    await notice.waitFor({ timeout: WAIT_MS })
    for (const person of [alice, bob]) await shapeWithText(person.page, 'note', 'Strong rail network and ports').waitFor({ timeout: WAIT_MS })
    await settle(bob.page)
    expect(await notices(bob.page).count()).toBe(0)
    await notice.getByRole('button', { name: 'Dismiss' }).click()
  })

  it('an offline delete gives way to a line a colleague drew to the card meanwhile: no stub is left hanging (QA q30a)', async () => {
    const { alice, bob } = two
    await bob.page.keyboard.press('Escape')
    await bob.page.getByRole('button', { name: 'Add stakeholder' }).click()
    await sidePanel(bob.page).getByLabel('Name', { exact: true }).fill('Ben Okoro')
    await sidePanel(bob.page).getByLabel('Name', { exact: true }).press('Tab')
    await shapeWithText(alice.page, 'stakeholder', 'Ben Okoro').waitFor({ timeout: WAIT_MS })

    await goOffline(alice)
    await clickShape(alice.page, shapeWithText(alice.page, 'stakeholder', 'Ben Okoro'))
    await alice.page.keyboard.press('Escape')
    await clickShape(alice.page, shapeWithText(alice.page, 'stakeholder', 'Ben Okoro'))
    await alice.page.keyboard.press('Delete')
    await shapeWithText(alice.page, 'stakeholder', 'Ben Okoro').waitFor({ state: 'detached', timeout: WAIT_MS })
    await bob.page.keyboard.press('Escape')
    await drawRelationship(bob.page, shapeWithText(bob.page, 'stakeholder', 'Ana Silva'), shapeWithText(bob.page, 'stakeholder', 'Ben Okoro'))
    await expect.poll(() => boundEnds(bob.page), { timeout: WAIT_MS }).toBe(2)
    await goOnline(alice)

    const notice = notices(alice.page).filter({ hasText: `Your offline delete of ‘Ben Okoro’ was undone: ${bob.name} drew a line to it while you were offline.` })
    await notice.waitFor({ timeout: WAIT_MS })
    for (const person of [alice, bob]) {
      await shapeWithText(person.page, 'stakeholder', 'Ben Okoro').waitFor({ timeout: WAIT_MS })
      await expect.poll(() => boundEnds(person.page), { timeout: WAIT_MS }).toBe(2)
    }
    await notice.getByRole('button', { name: 'Dismiss' }).click()
  })
})
