/**
 * A person with two tabs open is one person in the participant list (QA pass of 2026-12-06: Alice,
 * with the SWOT and the objectives open, was listed twice and counted twice, on her own page and on
 * everyone else's): one row naming both boards and the number of tabs, and the count of people.
 */
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('swot')

function rows(page: Page) {
  return sidePanel(page).getByRole('list', { name: 'Participants' }).getByRole('listitem')
}

async function headcount(page: Page): Promise<string | null> {
  return sidePanel(page).locator('#participants-heading .count').textContent()
}

it('lists a person with two tabs once, with both boards, and counts people, not pages', async () => {
  const { alice, bob } = two
  const secondTab = await alice.context.newPage()
  await secondTab.goto(alice.page.url().replace(/\/swot(\?|$)/, '/objectives$1'))
  await waitForBoard(secondTab)

  const aliceOnBobsPage = rows(bob.page).filter({ hasText: 'Alice Archer' })
  await aliceOnBobsPage.filter({ hasText: '2 tabs' }).waitFor({ timeout: WAIT_MS })
  expect(await aliceOnBobsPage.count()).toBe(1)
  const where = await aliceOnBobsPage.locator('.participant-where').textContent()
  expect(where).toContain('SWOT')
  expect(where).toContain('Objectives & KPIs')
  expect(await headcount(bob.page)).toBe('2')
  expect(await rows(bob.page).count()).toBe(2)

  // On each of Alice's pages: herself once, first, and nobody of hers to follow.
  for (const page of [alice.page, secondTab]) {
    const self = rows(page).filter({ hasText: '(you)' })
    await self.filter({ hasText: '2 tabs' }).waitFor({ timeout: WAIT_MS })
    expect(await rows(page).count()).toBe(2)
    expect(await rows(page).first().textContent()).toContain('(you)')
    expect(await headcount(page)).toBe('2')
    expect(await sidePanel(page).getByRole('button', { name: 'Follow Alice Archer' }).count()).toBe(0)
    expect(await sidePanel(page).getByRole('button', { name: 'Follow Bob Baker' }).count()).toBe(1)
  }

  // The second tab closed: one board, no tab count.
  await secondTab.close()
  await aliceOnBobsPage.filter({ hasNotText: 'tabs' }).filter({ hasText: 'on SWOT' }).waitFor({ timeout: WAIT_MS })
  expect(await aliceOnBobsPage.locator('.participant-where').textContent()).toBe('on SWOT')
  expect(await headcount(bob.page)).toBe('2')
})
