/**
 * A dot vote with two people in Chromium (docs/server-rules.md [C7]–[C10], plan rule [P10]): the
 * facilitator starts a vote with one vote each, a team member votes and cannot vote again, counts
 * stay hidden until the facilitator reveals them, and the revealed result reaches the snapshot.
 */
import { describe, expect, it } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { addNoteWithKeyboard, clickShape, shapeWithText, sidePanel, WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { workshopFetch } from '../helpers/startServer.ts'

const two = setUpTwoPeopleOnBoard('actions')

describe('dot voting', () => {
  it('limits votes, hides counts until revealed, and puts the result into the snapshot', async () => {
    const { alice, bob, workshop, server } = two
    await addNoteWithKeyboard(alice.page, 0.3, 0.85, 'Pilot in Lyon')
    await addNoteWithKeyboard(alice.page, 0.5, 0.85, 'Quarterly review')

    await sidePanel(alice.page).getByRole('button', { name: /Vote/ }).click()
    await sidePanel(alice.page).getByLabel('Question').fill('Which ideas matter most?')
    await sidePanel(alice.page).getByLabel('Votes per person').fill('1')
    await sidePanel(alice.page).getByRole('button', { name: 'Start Vote' }).click()

    const bobPanel = sidePanel(bob.page)
    await bobPanel.getByText('Which ideas matter most?').waitFor({ timeout: WAIT_MS })
    await bobPanel.getByText('1 of 1 vote left').waitFor({ timeout: WAIT_MS })
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Pilot in Lyon'))
    await bobPanel.getByRole('button', { name: 'Vote for this item' }).click()
    await bobPanel.getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })
    await clickShape(bob.page, shapeWithText(bob.page, 'note', 'Quarterly review'))
    expect(await bobPanel.getByRole('button', { name: 'Vote for this item' }).isDisabled()).toBe(true)

    await clickShape(alice.page, shapeWithText(alice.page, 'note', 'Pilot in Lyon'))
    await sidePanel(alice.page).getByRole('button', { name: 'Vote for this item' }).click()
    await sidePanel(alice.page).getByText('0 of 1 vote left').waitFor({ timeout: WAIT_MS })
    // Hidden: Bob sees only his own vote on the canvas.
    await bob.page.getByLabel('1 of your votes').waitFor({ timeout: WAIT_MS })
    expect(await bob.page.getByLabel('2 votes').count()).toBe(0)

    await sidePanel(alice.page).getByRole('button', { name: 'Reveal votes' }).click()
    await bob.page.getByLabel('2 votes').waitFor({ timeout: WAIT_MS })

    const response = await workshopFetch(`${server.url}/api/workshops/${workshop.id}/snapshots`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({}),
    })
    expect(response.status).toBe(201)
    const plan = PlanRecordSchema.parse(await response.json())
    expect(plan.votes).toHaveLength(1)
    expect(plan.votes[0]).toMatchObject({
      question: 'Which ideas matter most?',
      votesPerPerson: 1,
      totalVotes: 2,
      voters: 2,
      items: [{ label: 'Pilot in Lyon', votes: 2 }],
    })
  })
})
