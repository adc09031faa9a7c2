/**
 * A vote runs on one board, and the facilitator may move on while people vote (QA pass of
 * 2026-12-06: on another board the panel said only "A vote is running on SWOT", with no way to
 * reveal or close it short of going back). On any other board the panel shows the question, the
 * count, a link to the vote's board, and, for the facilitator, Reveal votes and Close vote.
 */
import { expect, it } from 'vitest'
import { addNoteWithKeyboard, clickShape, openPeople, shapeWithText, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('lets the facilitator reveal and close a vote from another board, and links everyone to it', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [fran] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  const [tom] = await openPeople(e2e.browser, workshop.links.team, ['Tom Team'])
  if (!fran || !tom) throw new Error('openPeople returned fewer people than names')
  await Promise.all([waitForBoard(fran.page), waitForBoard(tom.page)])
  const franPanel = sidePanel(fran.page)
  const tomPanel = sidePanel(tom.page)
  expect(new URL(tom.page.url()).pathname).toMatch(/\/swot$/)

  await addNoteWithKeyboard(tom.page, 0.3, 0.3, 'Strong regional depots')
  await franPanel.getByRole('button', { name: 'New Vote…' }).click()
  await franPanel.getByLabel('Question').fill('Which strength do we build on?')
  await franPanel.getByRole('button', { name: 'Start Vote' }).click()
  await tomPanel.getByText('Which strength do we build on?', { exact: true }).waitFor({ timeout: WAIT_MS })
  await clickShape(tom.page, shapeWithText(tom.page, 'note', 'Strong regional depots'))
  await tomPanel.getByRole('button', { name: 'Vote for this item' }).click()
  await tomPanel.getByText('2 of 3 votes left').waitFor({ timeout: WAIT_MS })

  // Fran moves on to the action plan: the vote is still hers to reveal and close.
  await fran.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
  await waitForBoard(fran.page)
  await franPanel.getByText('Which strength do we build on?', { exact: true }).waitFor({ timeout: WAIT_MS })
  expect(await franPanel.getByText('The vote is on SWOT.', { exact: false }).count()).toBe(1)
  await franPanel.getByRole('button', { name: 'Reveal votes' }).click()
  await tomPanel.getByText('Votes are hidden until the facilitator reveals them.').waitFor({ state: 'detached', timeout: WAIT_MS })

  // Tom, on another board, is led back to the vote by its link.
  await tom.page.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Objectives & KPIs' }).click()
  await waitForBoard(tom.page)
  expect(await tomPanel.getByRole('button', { name: 'Close vote' }).count()).toBe(0)
  await tomPanel.getByRole('link', { name: 'Go to SWOT' }).click()
  await waitForBoard(tom.page)
  expect(new URL(tom.page.url()).pathname).toMatch(/\/swot$/)
  await tomPanel.getByText('2 of 3 votes left').waitFor({ timeout: WAIT_MS })

  await franPanel.getByRole('button', { name: 'Close vote' }).click()
  await tomPanel.getByText('Which strength do we build on?', { exact: true }).waitFor({ state: 'detached', timeout: WAIT_MS })
  await franPanel.getByRole('button', { name: 'New Vote…' }).waitFor({ timeout: WAIT_MS })
})
