/**
 * QA (twenty-second session): the facilitator archived the workshop in the Share panel while a
 * team member had the action plan open. That page stayed editable, without the "Archived" badge,
 * and an action added there never reached the server (the server had reopened its connection
 * read-only, [A21]): it was lost without a word. An open page now turns read-only as soon as it is
 * told the workshop changed ([C13]), and editable again when the workshop is unarchived.
 */
import { beforeAll, expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop
let fran: Person
let tom: Person

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind', title: 'FY27 account plan' })
  const [facilitator] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  const [team] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!facilitator || !team) throw new Error('openPeople returned nobody')
  fran = facilitator
  tom = team
  await Promise.all([waitForBoard(fran.page), waitForBoard(tom.page)])
})

it("turns a colleague's open board read-only when the facilitator archives the workshop, and editable again when unarchived", async () => {
  const addAction = tom.page.getByRole('button', { name: 'Add action' })
  await addAction.waitFor({ timeout: WAIT_MS })
  // Marks this very document: a reload would lose it.
  await tom.page.evaluate(() => {
    document.documentElement.dataset['testNotReloaded'] = 'yes'
  })

  await fran.page.getByRole('button', { name: 'Share', exact: true }).click()
  const panel = fran.page.getByRole('dialog', { name: 'Share this workshop' })
  fran.page.once('dialog', (dialog) => void dialog.accept())
  await panel.getByRole('button', { name: 'Archive workshop' }).click()

  await tom.page.getByRole('status').filter({ hasText: 'Archived · read-only' }).waitFor({ timeout: WAIT_MS })
  await addAction.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await tom.page.evaluate(() => document.documentElement.dataset['testNotReloaded'])).toBe('yes')

  const unarchived = await fetch(`${test.server.url}/api/workshops/${workshop.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ archived: false }),
  })
  expect(unarchived.status).toBe(200)
  await addAction.waitFor({ timeout: WAIT_MS })
  expect(await tom.page.getByRole('status').filter({ hasText: 'read-only' }).count()).toBe(0)
})
