/**
 * A customer guest presses Delete on a card a team member added. A guest may delete only what it
 * created ([R8]; the server refuses the rest), so the page never sends the delete: the card stays
 * on both pages, the guest's connection stays open, and the guest is told why, in plain words.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { addNoteWithKeyboard, clickShape, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()
let team: Page
let guest: Page

/** Opens the action plan (customer-facing by default) with an invite link. */
async function openLink(link: string, name: string): Promise<Page> {
  const url = new URL(link)
  url.pathname += '/actions'
  const [person] = await openPeople(e2e.browser, url.toString(), [name])
  if (!person) throw new Error('openPeople returned no page')
  return person.page
}

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint planning session' })
  team = await openLink(workshop.links.team, 'Tom Team')
  guest = await openLink(workshop.links.guest, 'Carla Customer')
  await Promise.all([waitForBoard(team), waitForBoard(guest)])
})

it('keeps the team’s card and tells the guest that guests delete only what they added', async () => {
  await addNoteWithKeyboard(team, 0.35, 0.5, 'Team: renewal risk')
  const teamNote = shapeWithText(guest, 'note', 'Team: renewal risk')
  await teamNote.waitFor({ timeout: WAIT_MS })
  await clickShape(guest, teamNote)
  await guest.keyboard.press('Delete')

  const notice = guest.getByRole('alert').filter({ hasText: 'Guests can delete only what they added' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.textContent()).toContain('added by someone else')
  expect(await shapeWithText(guest, 'note', 'Team: renewal risk').count()).toBe(1)
  expect(await shapeWithText(team, 'note', 'Team: renewal risk').count()).toBe(1)
  expect(await guest.locator('.connection').getAttribute('data-state')).toBe('connected')
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })

  // The guest's own note goes as ever, with no notice.
  await addNoteWithKeyboard(guest, 0.7, 0.6, 'Customer: pilot in Q3')
  await guest.keyboard.press('Escape')
  await clickShape(guest, shapeWithText(guest, 'note', 'Customer: pilot in Q3'))
  await guest.keyboard.press('Delete')
  await shapeWithText(team, 'note', 'Customer: pilot in Q3').waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await guest.getByRole('alert').filter({ hasText: 'Guests can delete only what they added' }).count()).toBe(0)
})
