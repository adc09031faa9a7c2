/**
 * QA qa2 s9 in Chromium ([A35], [R5]): a guest adds a stakeholder card on a customer-facing map, a
 * team member selects it and presses Alt+I. The card becomes internal on the team's page (the lock
 * and hatched edge), leaves the guest's page, and is still there, internal, after the team reloads.
 * Before the fix, the internal write was refused ("names another creator") and the card was gone
 * for everyone.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

const e2e = setUpBrowserTest()
const NAME = 'Gus Guestmade'
let workshop: TestWorkshop
let guest: Page
let team: Page

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  const [guestPerson] = await openPeople(e2e.browser, `${workshop.links.guest}`, ['Carla Customer'])
  const [teamPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
  if (!guestPerson || !teamPerson) throw new Error('no pages')
  guest = guestPerson.page
  team = teamPerson.page
  await Promise.all([waitForBoard(guest), waitForBoard(team)])
})

it("a team member's Alt+I on a guest's card makes it internal, gone only for the guest [A35] [R5]", async () => {
  await guest.getByRole('button', { name: 'Add stakeholder' }).click()
  await guest.getByRole('complementary', { name: 'Board details' }).getByLabel('Name', { exact: true }).fill(NAME)
  await guest.keyboard.press('Escape')
  const card = shapeWithText(team, 'stakeholder', NAME)
  await card.waitFor({ timeout: WAIT_MS })
  const id = await card.getAttribute('data-shape-id')
  const box = await card.boundingBox()
  if (!box) throw new Error('the card has no box')
  await team.mouse.click(box.x + box.width / 2, box.y + 15)
  await team.keyboard.press('Alt+i')

  await team.locator(`.keyplan-internal-marker[data-shape-id="${id}"]`).waitFor({ timeout: WAIT_MS })
  await shapeWithText(guest, 'stakeholder', NAME).waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await team.getByText('was not allowed').count()).toBe(0)

  await team.reload()
  await waitForBoard(team)
  await team.locator(`.keyplan-internal-marker[data-shape-id="${id}"]`).waitFor({ timeout: WAIT_MS })
  expect(await shapeWithText(team, 'stakeholder', NAME).count()).toBe(1)
})
