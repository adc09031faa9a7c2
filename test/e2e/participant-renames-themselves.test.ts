/**
 * Rename yourself (issue 12): a participant changes their display name in the participant list;
 * everyone's list shows the new name at once, it survives a reload, and a name the server would
 * refuse (control characters, too long, empty) is refused in the form with the reason.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('swot')

function participant(page: Page, name: string) {
  return sidePanel(page).getByRole('list', { name: 'Participants' }).getByRole('listitem').filter({ hasText: name })
}

it('renames Bob for everyone, live and after a reload; refuses control characters and overlong names', async () => {
  const { alice, bob } = two
  await participant(alice.page, 'Bob Baker').waitFor({ timeout: WAIT_MS })

  await sidePanel(bob.page).getByRole('button', { name: 'Rename yourself' }).click()
  const form = sidePanel(bob.page).getByRole('form', { name: 'Rename yourself' })
  const input = form.getByRole('textbox', { name: 'Your name' })
  const save = form.getByRole('button', { name: 'Save name' })

  await input.fill('Bob\u0007 Baker')
  await form.getByRole('alert').filter({ hasText: 'control characters' }).waitFor({ timeout: WAIT_MS })
  expect(await save.isDisabled()).toBe(true)
  await input.fill('B'.repeat(45))
  await form.getByRole('alert').filter({ hasText: 'At most 40' }).waitFor({ timeout: WAIT_MS })
  expect(await save.isDisabled()).toBe(true)
  await input.fill('   ')
  expect(await save.isDisabled()).toBe(true)

  await input.fill('  Robert   Baker ')
  await save.click()
  // The form closes with the focus back on Rename (QA pass of 2026-12-06: it dropped to the page).
  const renameButton = sidePanel(bob.page).getByRole('button', { name: 'Rename yourself' })
  await renameButton.waitFor({ timeout: WAIT_MS })
  expect(await renameButton.evaluate((element) => element === document.activeElement)).toBe(true)
  await participant(alice.page, 'Robert Baker').waitFor({ timeout: WAIT_MS })
  await participant(bob.page, 'Robert Baker').filter({ hasText: '(you)' }).waitFor({ timeout: WAIT_MS })
  expect(await participant(alice.page, 'Bob Baker').count()).toBe(0)

  // The link Bob opened named him Bob Baker; the address now names him as he chose, and a reload keeps it.
  expect(new URL(bob.page.url()).searchParams.get('name')).toBe('Robert Baker')
  await bob.page.reload()
  await waitForBoard(bob.page)
  await participant(bob.page, 'Robert Baker').filter({ hasText: '(you)' }).waitFor({ timeout: WAIT_MS })
  await participant(alice.page, 'Robert Baker').waitFor({ timeout: WAIT_MS })
  await sidePanel(bob.page).getByText('You are Robert Baker').waitFor({ timeout: WAIT_MS })
  expect(await participant(alice.page, 'Bob Baker').count()).toBe(0)
})

it('gives the focus back to Rename when the form is left with Esc', async () => {
  const { bob } = two
  const renameButton = sidePanel(bob.page).getByRole('button', { name: 'Rename yourself' })
  await renameButton.click()
  await sidePanel(bob.page).getByRole('form', { name: 'Rename yourself' }).getByRole('textbox', { name: 'Your name' }).focus()
  await bob.page.keyboard.press('Escape')
  await renameButton.waitFor({ timeout: WAIT_MS })
  expect(await renameButton.evaluate((element) => element === document.activeElement)).toBe(true)
})

it('shows a long name whole on hover where the list cuts it', async () => {
  const { alice, bob } = two
  const long = 'Maximilian Alexander von Hohenzollern-Si' // 40 characters, the most a name may have
  await sidePanel(bob.page).getByRole('button', { name: 'Rename yourself' }).click()
  const form = sidePanel(bob.page).getByRole('form', { name: 'Rename yourself' })
  await form.getByRole('textbox', { name: 'Your name' }).fill(long)
  await form.getByRole('button', { name: 'Save name' }).click()
  const name = participant(alice.page, long).locator('.participant-name')
  await name.waitFor({ timeout: WAIT_MS })
  expect(await name.getAttribute('title')).toBe(long)
})

it('a rename in a second tab is the person’s name in every tab, and in everyone’s list (QA pass of 2026-12-06)', async () => {
  const { alice, bob } = two
  const address = new URL(bob.page.url())
  address.searchParams.delete('name')
  const second = await bob.context.newPage()
  await second.goto(address.toString())
  await waitForBoard(second)
  await sidePanel(second).getByRole('button', { name: 'Rename yourself' }).click()
  const form = sidePanel(second).getByRole('form', { name: 'Rename yourself' })
  await form.getByRole('textbox', { name: 'Your name' }).fill('Bobby Two')
  await form.getByRole('button', { name: 'Save name' }).click()
  await sidePanel(bob.page).getByText('You are Bobby Two').waitFor({ timeout: WAIT_MS })
  await participant(alice.page, 'Bobby Two').waitFor({ timeout: WAIT_MS })
  await expect.poll(() => participant(alice.page, 'Hohenzollern').count(), { timeout: WAIT_MS }).toBe(0)
  // QA q28a: the first tab's address still named the old name, and its reload renamed him back.
  await expect.poll(() => new URL(bob.page.url()).searchParams.get('name'), { timeout: WAIT_MS }).toBe('Bobby Two')
  await bob.page.reload()
  await waitForBoard(bob.page)
  await sidePanel(bob.page).getByText('You are Bobby Two').waitFor({ timeout: WAIT_MS })
  await sidePanel(second).getByText('You are Bobby Two').waitFor({ timeout: WAIT_MS })
  await second.close()
})
