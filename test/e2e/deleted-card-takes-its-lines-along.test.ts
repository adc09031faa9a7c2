/**
 * QA qa-depth (del.mjs) in Chromium: deleting a stakeholder card left its relationship lines on the
 * canvas, bound to nothing (the plan then warned "Arrow is not attached to stakeholder cards at both
 * ends"). A card now takes its lines along in the same change, from both documents of the board (an
 * "Influences" line is internal, [A31]), and one Ctrl+Z brings back the card and its lines. A guest
 * deleting its own card takes only its own lines ([R7]): a team member's line stays, unbound, and
 * the guest's connection stays open.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { clickShape, drawRelationship, openPeople, shapeWithText, sidePanel, waitForBoard, waitUntil } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing, storedBoard } from '../helpers/teamAndGuest.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let guest: Page
let team: Page

/** Each line on `page` as `kind: from -> to` by card name ("?" for an unbound end), sorted. */
function lines(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const editor = window.testEditor
    return editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'arrow')
      .map((arrow) => {
        const name = (terminal: string) => {
          const binding = editor.getBindingsFromShape(arrow.id, 'arrow').find((b) => (b.props as { terminal: string }).terminal === terminal)
          const card = binding ? editor.getShape(binding.toId) : undefined
          return card && 'name' in card.props ? String(card.props.name) : '?'
        }
        return `${String(arrow.meta.relationship)}: ${name('start')} -> ${name('end')}`
      })
      .sort()
  })
}

/** The relationship lines the server stored, in both documents. */
async function storedLines(): Promise<number> {
  const records = await storedBoard(e2e.server, workshop, 'stakeholders')
  return [...records.values()].filter((record) => record.typeName === 'shape' && record.type === 'arrow').length
}

async function addCard(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: 'Add stakeholder' }).click()
  await sidePanel(page).getByLabel('Name', { exact: true }).fill(name)
  await page.keyboard.press('Escape')
}

async function connect(page: Page, from: string, to: string, kind?: string): Promise<void> {
  await drawRelationship(page, shapeWithText(page, 'stakeholder', from), shapeWithText(page, 'stakeholder', to))
  if (kind) await sidePanel(page).getByLabel('Relationship kind').selectOption({ label: kind })
  await page.keyboard.press('Escape')
}

async function deleteCard(page: Page, name: string): Promise<void> {
  await clickShape(page, shapeWithText(page, 'stakeholder', name))
  await page.keyboard.press('Delete')
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  const link = new URL(workshop.links.guest)
  link.pathname += '/stakeholders'
  const [guestPerson] = await openPeople(e2e.browser, link.toString(), ['Carla Customer'])
  const [teamPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
  if (!guestPerson || !teamPerson) throw new Error('no pages')
  guest = guestPerson.page
  team = teamPerson.page
  await Promise.all([waitForBoard(guest), waitForBoard(team)])
  await Promise.all([exposeEditor(guest), exposeEditor(team)])
})

it('a deleted card takes its lines of both documents along, and one undo brings all back', async () => {
  for (const name of ['Omar Haddad', 'Maria Chen', 'Lee Chen']) await addCard(team, name)
  await connect(team, 'Omar Haddad', 'Maria Chen') // influences: the internal document
  await connect(team, 'Lee Chen', 'Omar Haddad', 'Reports to') // the shared document
  const all = ['influences: Omar Haddad -> Maria Chen', 'reports_to: Lee Chen -> Omar Haddad']
  await waitUntil(async () => (await lines(team)).join() === all.join(), 'the team has both lines')
  await waitUntil(async () => (await storedLines()) === 2, 'the server stored both lines')

  await deleteCard(team, 'Omar Haddad')
  await waitUntil(async () => (await lines(team)).length === 0, 'the team’s lines went with the card')
  await waitUntil(async () => (await storedLines()) === 0, 'the server holds no line')
  // The server relays after it stores: the guest gets the delete a moment later.
  await waitUntil(async () => (await lines(guest)).length === 0, 'the guest’s line went with the card')

  await team.keyboard.press('Control+z')
  await waitUntil(async () => (await lines(team)).join() === all.join(), 'one undo brings back the card and both lines, bound')
  await waitUntil(async () => (await storedLines()) === 2, 'the server holds both lines again')
  await waitUntil(async () => (await lines(guest)).join() === all[1], 'the guest sees the customer-facing line again')
})

it('a guest deleting its own card takes only its own lines; the team’s stays, and nothing is refused [R7]', async () => {
  await addCard(guest, 'Nina Berg')
  await addCard(guest, 'Amélie Dubois')
  await connect(guest, 'Nina Berg', 'Amélie Dubois') // the guest's own line (reports to, customer-facing)
  await shapeWithText(team, 'stakeholder', 'Nina Berg').waitFor()
  await connect(team, 'Lee Chen', 'Nina Berg', 'Reports to') // a team member's line to the guest's card
  await waitUntil(async () => (await lines(guest)).length === 3, 'the guest sees three customer-facing lines')

  await deleteCard(guest, 'Nina Berg')
  const left = ['reports_to: Lee Chen -> ?', 'reports_to: Lee Chen -> Omar Haddad']
  await waitUntil(async () => (await lines(team)).filter((line) => line.startsWith('reports_to')).join() === left.join(), 'the team sees the guest’s line gone, its own unbound')
  expect(await lines(guest)).toEqual(left)
  expect(await guest.getByRole('alert').count()).toBe(0)
  expect(await guest.locator('.connection').getAttribute('data-state')).toBe('connected')
})

it('deleting two cards with five lines between them asks first: the lines count (QA q28d, q28e)', async () => {
  for (let i = 0; i < 3; i++) await connect(team, 'Omar Haddad', 'Maria Chen')
  await waitUntil(async () => (await lines(team)).filter((line) => line.includes('Omar Haddad')).length === 5, 'five lines on Omar')
  await team.evaluate(() => {
    const editor = window.testEditor
    const ids = editor
      .getCurrentPageShapes()
      .filter((shape) => shape.type === 'stakeholder' && ['Omar Haddad', 'Maria Chen'].includes(String((shape.props as { name?: unknown }).name)))
      .map((shape) => shape.id)
    editor.select(...ids)
  })
  const asked: string[] = []
  team.once('dialog', (dialog) => {
    asked.push(dialog.message())
    void dialog.dismiss()
  })
  await team.keyboard.press('Delete')
  await waitUntil(async () => asked.length === 1, 'the question')
  expect(asked[0]).toContain('Delete 7 shapes?')
  expect((await lines(team)).filter((line) => line.includes('Omar Haddad'))).toHaveLength(5)
})
