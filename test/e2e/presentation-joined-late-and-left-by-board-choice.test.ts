/**
 * A presentation as people join and leave it, in Chromium (QA q35a, findings 3 and 7): a person
 * who opens the workshop while the facilitator presents, or reloads their page then, follows the
 * presentation as everyone else does (their page comes to the presenter's board and follows them);
 * a follower who opens another board themselves leaves the presentation, as a pan does, and stays
 * on the board they chose (the page loaded it and sprang back to the presenter's, without a word).
 * The presenter's own other tabs stay where they are (finding 5: the second window was locked to
 * her presentation).
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, waitForFollowing, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let fran: Page
/** Fran's own second tab, on the stakeholder map when she presents from her first. */
let franAgain: Page
/** On the action plan when the presentation starts: brought to it by Present. */
let tom: Page

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [facilitator] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Fran Facilitator'])
  if (!facilitator) throw new Error('openPeople opened nobody')
  fran = facilitator.page
  await waitForBoard(fran)
  franAgain = await facilitator.context.newPage()
  await franAgain.goto(`${e2e.server.url}/w/${workshop.id}/stakeholders?name=${encodeURIComponent('Fran Facilitator')}&token=${encodeURIComponent(workshop.tokens.facilitator)}`)
  await waitForBoard(franAgain)
  tom = await openTeamMember('Tom Team', 'actions')
  await waitForBoard(tom)
  await sidePanel(tom).getByRole('listitem').filter({ hasText: 'Fran Facilitator' }).waitFor({ timeout: WAIT_MS })
  await fran.getByRole('button', { name: 'Present', exact: true }).click()
  await fran.getByRole('button', { name: /Stop presenting/ }).waitFor({ timeout: WAIT_MS })
  await followsThePresentation(tom)
})

/** Opens the workshop for `name` with a team link, on `board`. */
async function openTeamMember(name: string, board: string): Promise<Page> {
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/${board}?token=${encodeURIComponent(workshop.tokens.team)}`, [name])
  if (!person) throw new Error('openPeople opened nobody')
  return person.page
}

/** `page` is on the SWOT, following the presenter: the address, the canvas and the participant list agree. */
async function followsThePresentation(page: Page): Promise<void> {
  await page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  await waitForBoard(page)
  await waitForFollowing(page)
  await sidePanel(page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
}

describe('a presentation under way', () => {
  it('is followed by a person who opens the workshop during it, and again after a reload', async () => {
    const lars = await openTeamMember('Lars Late', 'stakeholders')
    await followsThePresentation(lars)

    await lars.reload()
    await followsThePresentation(lars)
  })

  it('is followed by a person whose page hears of it before it knows its boards (full run: the boards arriving then counted as the person choosing one, and ended the following)', async () => {
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
    const page = await context.newPage()
    // The room's welcome and participants come first; the page's access view (its boards) after.
    await page.route('**/api/workshops/*/access', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      await route.continue()
    })
    await page.goto(`${e2e.server.url}/w/${workshop.id}/stakeholders?token=${encodeURIComponent(workshop.tokens.team)}&name=${encodeURIComponent('Lena Slow')}`)
    await followsThePresentation(page)
    await context.close()
  })

  it("leaves the presenter's own other tabs where they are", async () => {
    // The summons reached Tom's page (beforeAll); a third tab opens during the presentation.
    const third = await fran.context().newPage()
    await third.goto(`${e2e.server.url}/w/${workshop.id}/objectives?name=${encodeURIComponent('Fran Facilitator')}&token=${encodeURIComponent(workshop.tokens.facilitator)}`)
    await waitForBoard(third)
    await sidePanel(third).getByRole('listitem').filter({ hasText: 'Tom Team' }).waitFor({ timeout: WAIT_MS })
    for (const [page, board] of [[franAgain, 'stakeholders'], [third, 'objectives']] as const) {
      expect(new URL(page.url()).pathname).toMatch(new RegExp(`/${board}$`))
      expect(await sidePanel(page).getByRole('button', { name: 'Stop following' }).count()).toBe(0)
    }
    await third.close()
  })

  it('is left by a follower who opens another board, who stays there', async () => {
    await tom.getByRole('navigation', { name: 'Boards' }).getByRole('link', { name: 'Action plan' }).click()
    await sidePanel(tom).getByRole('button', { name: 'Follow Fran Facilitator' }).waitFor({ timeout: WAIT_MS })
    expect(new URL(tom.url()).pathname).toMatch(/\/actions$/)
    await exposeEditor(tom)
    expect(await tom.evaluate(() => window.testEditor.getInstanceState().followingUserId)).toBeNull()
    expect(await sidePanel(tom).getByRole('button', { name: 'Stop following' }).count()).toBe(0)
  })
})
