/**
 * QA q30a in Chromium: a field made internal while a guest was offline cost the guest all of their
 * offline work. Back online, the server refused the update that held it (4422: a guest may not
 * write an internal field) and the page dropped its whole copy: the new card, the retitled one,
 * everything. Now the page makes its changes again on the fresh copy
 * (client/board/replayAfterRefusal.ts), leaves out only the field the customer no longer sees, and
 * names it with the value that was not kept.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import type { ActionCardShape } from '../../shared/shapes.ts'
import { setSensitivity } from '../helpers/boardPartsOnServer.ts'
import { clickShape, shapeWithText, sidePanel, waitForText, WAIT_MS } from '../helpers/browser.ts'
import { setUpGuestAndTeamOnBoard } from '../helpers/browserTest.ts'
import { editOfflineAndClose } from '../helpers/offlineCopy.ts'
import { putAsFacilitator } from '../helpers/startServer.ts'
import { storedBoard } from '../helpers/teamAndGuest.ts'

const e2e = setUpGuestAndTeamOnBoard('actions')

/** The stored actions (both documents merged, as a team page loads them): title → owner. */
async function storedActions(): Promise<Record<string, string>> {
  const records = await storedBoard(e2e.server, e2e.workshop, 'actions')
  const actions = [...records.values()].filter((record) => record.typeName === 'shape' && record.type === 'action') as unknown as ActionCardShape[] // action records
  return Object.fromEntries(actions.map((action) => [action.props.title, action.props.owner]))
}

async function setOffline(page: Page, offline: boolean): Promise<void> {
  await page.context().setOffline(offline)
  await page.locator(`.connection[data-state="${offline ? 'offline' : 'connected'}"]`).waitFor({ timeout: WAIT_MS })
}

it("keeps a guest's offline work when a field was made internal meanwhile, leaving out and naming only that field (QA q30a)", async () => {
  const { guest, team } = e2e
  await team.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(team).getByLabel('Title').fill('Kickoff call')
  await sidePanel(team).getByLabel('Title').press('Tab')
  await expect.poll(storedActions, { timeout: WAIT_MS }).toEqual({ 'Kickoff call': '' })
  await shapeWithText(guest, 'action', 'Kickoff call').waitFor({ timeout: WAIT_MS })

  await setOffline(guest, true)
  await clickShape(guest, shapeWithText(guest, 'action', 'Kickoff call'))
  await sidePanel(guest).getByLabel('Title').fill('Kickoff call with IT')
  await sidePanel(guest).getByLabel('Title').press('Tab')
  await guest.keyboard.press('Escape')
  await guest.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(guest).getByLabel('Title').fill('Send the security questionnaire')
  await sidePanel(guest).getByLabel('Owner').fill('Carla from IT')
  await sidePanel(guest).getByLabel('Owner').press('Tab')
  // Meanwhile the facilitator makes the action's Owner internal.
  await setSensitivity(e2e.server, e2e.workshop, { 'action.owner': 'internal' })
  await setOffline(guest, false)

  const notice = guest.getByRole('alert').filter({ hasText: 'The facilitator made “Owner” internal while you made your changes.' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.textContent()).toContain('Not kept, as the customer does not see it: Owner on ‘Send the security questionnaire’ (“Carla from IT”).')
  expect(await notice.textContent()).toContain('your other changes were made again')
  // Everything else the guest did offline reached the server; the internal Owner did not.
  await expect.poll(storedActions, { timeout: WAIT_MS }).toEqual({ 'Kickoff call with IT': '', 'Send the security questionnaire': '' })
  await shapeWithText(team, 'action', 'Send the security questionnaire').waitFor({ timeout: WAIT_MS })
  await shapeWithText(guest, 'action', 'Kickoff call with IT').waitFor({ timeout: WAIT_MS })
})

it('lists, to copy, what a guest changed offline on a board the facilitator made internal meanwhile (QA q30a)', async () => {
  const { guest } = e2e
  await setOffline(guest, true)
  await guest.keyboard.press('Escape')
  await guest.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(guest).getByLabel('Title').fill('Book the plant visit')
  await sidePanel(guest).getByLabel('Due date').fill('2027-03-01')
  await sidePanel(guest).getByLabel('Due date').press('Tab')
  await putAsFacilitator(e2e.server, e2e.workshop, 'settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false } })
  await guest.context().setOffline(false)

  await waitForText(guest, 'This board is no longer available to guests')
  const unsent = guest.getByRole('alert', { name: 'Changes not sent' })
  await unsent.waitFor({ timeout: WAIT_MS })
  expect(await unsent.locator('li').allTextContents()).toEqual(['Title on ‘Book the plant visit’: Book the plant visit', 'Due date on ‘Book the plant visit’: 2027-03-01'])
  // Nothing of it reached the server.
  expect(Object.keys(await storedActions())).not.toContain('Book the plant visit')
})

it('lists them again on a later visit of the board, shared and withdrawn again (each visit keeps its own changes)', async () => {
  const { guest } = e2e
  await putAsFacilitator(e2e.server, e2e.workshop, 'settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } })
  await guest.goto(`${e2e.server.url}/w/${e2e.workshop.id}/actions`)
  await guest.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  await setOffline(guest, true)
  await guest.getByRole('button', { name: 'Add action' }).click()
  await sidePanel(guest).getByLabel('Title').fill('Call the depot manager')
  await sidePanel(guest).getByLabel('Title').press('Tab')
  await putAsFacilitator(e2e.server, e2e.workshop, 'settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: false, whitespace: false } })
  await guest.context().setOffline(false)

  await waitForText(guest, 'This board is no longer available to guests')
  const unsent = guest.getByRole('alert', { name: 'Changes not sent' })
  await unsent.waitFor({ timeout: WAIT_MS })
  expect(await unsent.locator('li').allTextContents()).toEqual(['Title on ‘Call the depot manager’: Call the depot manager'])
})

it('makes again what a tab closed offline left, when the copy it left is refused in a later visit (review of session 31: lost with the copy)', async () => {
  const { guest } = e2e
  await putAsFacilitator(e2e.server, e2e.workshop, 'settings', { customerFacing: { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false } })
  // No other page of Carla's browser on the workshop: the closed tab's copy waits for the next visit.
  await guest.goto('about:blank')
  const context = guest.context()
  const tab = await context.newPage()
  await tab.goto(`${e2e.server.url}/w/${e2e.workshop.id}/actions`)
  await tab.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  await editOfflineAndClose(tab, `${e2e.workshop.id}/actions`, async () => {
    await tab.getByRole('button', { name: 'Add action' }).click()
    await sidePanel(tab).getByLabel('Title').fill('Order the pallets')
    await sidePanel(tab).getByLabel('Due date').fill('2027-04-01')
    await sidePanel(tab).getByLabel('Due date').press('Tab')
  })
  // Meanwhile the facilitator makes the Due date internal; Carla opens the board again, online.
  await setSensitivity(e2e.server, e2e.workshop, { 'action.owner': 'internal', 'action.due': 'internal' })
  await context.setOffline(false)
  const page = await context.newPage()
  await page.goto(`${e2e.server.url}/w/${e2e.workshop.id}/actions`)

  const notice = page.getByRole('alert').filter({ hasText: 'The facilitator made “Due date” internal while you made your changes.' })
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.textContent()).toContain('Not kept, as the customer does not see it: Due date on ‘Order the pallets’')
  await expect.poll(async () => Object.keys(await storedActions()), { timeout: WAIT_MS }).toContain('Order the pallets')
  await shapeWithText(e2e.team, 'action', 'Order the pallets').waitFor({ timeout: WAIT_MS })
  await page.close()
})
