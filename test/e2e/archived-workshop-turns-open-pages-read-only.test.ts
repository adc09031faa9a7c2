/**
 * QA (twenty-second session): the facilitator archived the workshop in the Share panel while a
 * team member had the action plan open. That page stayed editable, without the "Archived" badge,
 * and an action added there never reached the server (the server had reopened its connection
 * read-only, [A21]): it was lost without a word. An open page now turns read-only as soon as it is
 * told the workshop changed ([C13]), and editable again when the workshop is unarchived: its side
 * panel and toolbar, and tldraw's own tools (QA q28c).
 */
import { expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpFacilitatorAndColleague } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const test = setUpFacilitatorAndColleague()

it("turns a colleague's open board read-only when the facilitator archives the workshop, and editable again when unarchived", async () => {
  const addAction = test.tom.page.getByRole('button', { name: 'Add action' })
  await addAction.waitFor({ timeout: WAIT_MS })
  // Marks this very document: a reload would lose it.
  await test.tom.page.evaluate(() => {
    document.documentElement.dataset['testNotReloaded'] = 'yes'
  })

  await test.fran.page.getByRole('button', { name: 'Share', exact: true }).click()
  const panel = test.fran.page.getByRole('dialog', { name: 'Share this workshop' })
  test.fran.page.once('dialog', (dialog) => void dialog.accept())
  await panel.getByRole('button', { name: 'Archive workshop' }).click()

  await test.tom.page.getByRole('status').filter({ hasText: 'Archived · read-only' }).waitFor({ timeout: WAIT_MS })
  await addAction.waitFor({ state: 'detached', timeout: WAIT_MS })
  expect(await test.tom.page.evaluate(() => document.documentElement.dataset['testNotReloaded'])).toBe('yes')
  // QA q28c: tldraw's own tools too (its note and draw tools went on writing on the open page).
  await exposeEditor(test.tom.page)
  await test.tom.page.waitForFunction(() => window.testEditor.getInstanceState().isReadonly, undefined, { timeout: WAIT_MS })

  const unarchived = await fetch(`${test.server.url}/api/workshops/${test.workshop.id}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${test.workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ archived: false }),
  })
  expect(unarchived.status).toBe(200)
  await addAction.waitFor({ timeout: WAIT_MS })
  expect(await test.tom.page.getByRole('status').filter({ hasText: 'read-only' }).count()).toBe(0)
  await test.tom.page.waitForFunction(() => !window.testEditor.getInstanceState().isReadonly, undefined, { timeout: WAIT_MS })
})

// QA q30a: a page offline while the workshop was archived missed the push; back online it said
// Connected and stayed editable while the server dropped every edit. The same for an unarchive.
it('turns a page that was offline during the archive read-only once it is back, and editable after an unarchive it missed', async () => {
  const page = test.tom.page
  const addAction = page.getByRole('button', { name: 'Add action' })
  await addAction.waitFor({ timeout: WAIT_MS })
  const archive = async (archived: boolean) => {
    const response = await fetch(`${test.server.url}/api/workshops/${test.workshop.id}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${test.workshop.tokens.facilitator}`, 'content-type': 'application/json' },
      body: JSON.stringify({ archived }),
    })
    expect(response.status).toBe(200)
  }
  const connected = () => page.getByRole('status').filter({ hasText: 'Connected' }).first()

  await test.tom.context.setOffline(true)
  await page.getByRole('status').filter({ hasText: /offline/i }).first().waitFor({ timeout: WAIT_MS })
  await archive(true)
  await test.tom.context.setOffline(false)
  await page.getByRole('status').filter({ hasText: 'Archived · read-only' }).waitFor({ timeout: WAIT_MS })
  await addAction.waitFor({ state: 'detached', timeout: WAIT_MS })

  await test.tom.context.setOffline(true)
  await page.getByRole('status').filter({ hasText: /offline/i }).first().waitFor({ timeout: WAIT_MS })
  await archive(false)
  await test.tom.context.setOffline(false)
  await addAction.waitFor({ timeout: WAIT_MS })
  await connected().waitFor({ timeout: WAIT_MS })
})
