/**
 * While the room's control socket is away (the network dropped), the controls that talk to the
 * room say so and cannot be pressed, rather than doing nothing: the facilitator's timer buttons,
 * Present, Bring everyone here, Start Vote (the typed question stays in the form), and a team
 * member's Vote for this item; the participant list says it may be out of date and offers no
 * Follow. Once the network is back they work again, and what was typed is
 * sent as it was.
 */
import { describe, expect, it } from 'vitest'
import { addNoteWithKeyboard, clickShape, shapeWithText, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'

const two = setUpTwoPeopleOnBoard('actions')

const TIMER_OFFLINE = 'Reconnecting to the room: the timer can be changed again once it is back.'
const VOTE_OFFLINE = 'Reconnecting to the room: voting works again once it is back.'

describe('room controls while the network is down', () => {
  it('are disabled and say why, keep what was typed, and work again once back', async () => {
    const { alice, bob } = two
    await addNoteWithKeyboard(alice.page, 0.4, 0.85, 'Pilot in Lyon')
    const panel = sidePanel(alice.page)
    await panel.getByRole('button', { name: 'Bring everyone here' }).waitFor({ timeout: WAIT_MS })
    await panel.getByRole('button', { name: 'New Vote…' }).click()
    await panel.getByLabel('Question').fill('Which pilots first?')

    await alice.context.setOffline(true)
    await panel.getByRole('status').filter({ hasText: VOTE_OFFLINE }).waitFor({ timeout: WAIT_MS })
    expect(await panel.getByRole('button', { name: 'Start Vote' }).isDisabled()).toBe(true)
    // QA q28a: it stays, disabled, and the list says it may be out of date (the button vanished).
    expect(await panel.getByRole('button', { name: 'Bring everyone here' }).isDisabled()).toBe(true)
    await panel.getByRole('status').filter({ hasText: 'the list may be out of date' }).waitFor({ timeout: WAIT_MS })
    expect(await panel.getByRole('button', { name: 'Follow Bob Baker' }).isDisabled()).toBe(true)
    expect(await alice.page.getByRole('button', { name: 'Present', exact: true }).isDisabled()).toBe(true)
    await alice.page.getByRole('button', { name: 'Timer', exact: true }).click()
    const timer = alice.page.getByRole('group', { name: 'Timer controls' })
    await timer.getByRole('status').filter({ hasText: TIMER_OFFLINE }).waitFor({ timeout: WAIT_MS })
    expect(await timer.getByRole('button', { name: 'Start 1 min' }).isDisabled()).toBe(true)
    expect(await panel.getByLabel('Question').inputValue()).toBe('Which pilots first?')

    // Back online: the controls come back; the vote starts with the question typed while offline.
    await alice.context.setOffline(false)
    await timer.getByRole('status').waitFor({ state: 'detached', timeout: WAIT_MS })
    await timer.getByRole('button', { name: 'Start 1 min' }).click()
    await bob.page.getByRole('timer').waitFor({ timeout: WAIT_MS })
    await panel.getByRole('button', { name: 'Start Vote' }).click()
    const bobPanel = sidePanel(bob.page)
    await bobPanel.getByText('Which pilots first?').waitFor({ timeout: WAIT_MS })
    expect(await alice.page.getByRole('button', { name: 'Present', exact: true }).isDisabled()).toBe(false)
    expect(await panel.getByRole('button', { name: 'Bring everyone here' }).isDisabled()).toBe(false)
    expect(await panel.getByRole('status').filter({ hasText: 'the list may be out of date' }).count()).toBe(0)

    // A team member who selected an item and lost the network cannot press Vote for this item.
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Pilot in Lyon'))
    const vote = bobPanel.getByRole('button', { name: 'Vote for this item' })
    await vote.waitFor({ timeout: WAIT_MS })
    await bob.context.setOffline(true)
    await bobPanel.getByRole('status').filter({ hasText: VOTE_OFFLINE }).waitFor({ timeout: WAIT_MS })
    expect(await vote.isDisabled()).toBe(true)
    await bob.context.setOffline(false)
    await bobPanel.getByRole('status').filter({ hasText: VOTE_OFFLINE }).waitFor({ state: 'detached', timeout: WAIT_MS })
    await vote.click()
    await bobPanel.getByText(/^2 of 3 votes left$/).waitFor({ timeout: WAIT_MS })
  })
})
