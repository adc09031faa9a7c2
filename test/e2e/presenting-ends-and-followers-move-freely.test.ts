/**
 * The end of present mode releases everyone who followed the presenter (docs/server-rules.md
 * [C12]): the facilitator presents, a team member's page comes to follow their viewport; Esc (or
 * "Stop presenting", or the presenter's page closing) ends it, and the team member's page stops
 * following at once (tldraw's following state, its following indicator and the participant list's
 * "Stop following") and pans on its own, wherever the facilitator moves. Someone who stopped
 * following during the presentation is not brought back when it ends.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { canvasPoint, openPeople, sidePanel, waitForBoard, waitForFollowing, WAIT_MS, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop
let tom: Person

beforeAll(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [team] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!team) throw new Error('openPeople returned nobody')
  tom = team
  await waitForBoard(tom.page)
})

/** A facilitator's page on the SWOT, once Tom's page lists them; with its tldraw user id. */
async function openFacilitator(name: string): Promise<{ fran: Person; franId: string }> {
  const [fran] = await openPeople(test.browser, `${test.server.url}/w/${workshop.id}/swot`, [name])
  if (!fran) throw new Error('openPeople returned nobody')
  await waitForBoard(fran.page)
  await exposeEditor(fran.page)
  await sidePanel(tom.page).getByRole('listitem').filter({ hasText: name }).waitFor({ timeout: WAIT_MS })
  return { fran, franId: await fran.page.evaluate(() => window.testEditor.user.getId()) }
}

/** Presses Present on `fran`'s page and waits until Tom's page follows her viewport on the SWOT. */
async function presentAndWaitForTom(fran: Page, franId: string): Promise<void> {
  await fran.getByRole('button', { name: 'Present', exact: true }).click()
  await fran.getByRole('button', { name: /Stop presenting/ }).waitFor({ timeout: WAIT_MS })
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  await waitForBoard(tom.page)
  await exposeEditor(tom.page)
  await tom.page.waitForFunction((id) => window.testEditor.getInstanceState().followingUserId === id, franId, { timeout: WAIT_MS })
  await waitForFollowing(tom.page)
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
}

/** Tom's page follows nobody: tldraw's state, its indicator and the participant list agree. */
async function tomFollowsNobody(): Promise<void> {
  await tom.page.waitForFunction(() => window.testEditor.getInstanceState().followingUserId === null, undefined, { timeout: WAIT_MS })
  await tom.page.locator('.tlui-following-indicator').waitFor({ state: 'detached', timeout: WAIT_MS })
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ state: 'detached', timeout: WAIT_MS })
}

it('releases the follower when the presenter presses Esc, and the follower pans on its own', async () => {
  const { fran, franId } = await openFacilitator('Fran Facilitator')
  await presentAndWaitForTom(fran.page, franId)

  await fran.page.keyboard.press('Escape')
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  await tomFollowsNobody()

  // Tom pans with the wheel; the camera stays where he took it.
  const before = await tom.page.evaluate(() => window.testEditor.getCamera())
  const point = await canvasPoint(tom.page, 0.5, 0.5)
  await tom.page.mouse.move(point.x, point.y)
  await tom.page.mouse.wheel(0, 300)
  await tom.page.waitForFunction((y) => window.testEditor.getCamera().y !== y, before.y, { timeout: WAIT_MS })
  const panned = await tom.page.evaluate(() => window.testEditor.getCamera())
  // Fran moves her view elsewhere and her pointer over it; once Tom's page has her cursor there,
  // his view has not moved with hers.
  await fran.page.evaluate(() => {
    const editor = window.testEditor
    editor.setCamera({ x: editor.getCamera().x - 600, y: editor.getCamera().y - 400, z: editor.getZoomLevel() })
  })
  const franPoint = await canvasPoint(fran.page, 0.3, 0.3)
  await fran.page.mouse.move(franPoint.x, franPoint.y)
  const cursor = await fran.page.evaluate(() => window.testEditor.inputs.getCurrentPagePoint().toJson())
  await tom.page.waitForFunction(
    ([id, x, y]) =>
      window.testEditor.getCollaborators().some((c) => c.userId === id && c.cursor !== null && Math.abs(c.cursor.x - x) < 0.2 && Math.abs(c.cursor.y - y) < 0.2),
    [franId, cursor.x, cursor.y] as const,
    { timeout: WAIT_MS },
  )
  expect(await tom.page.evaluate(() => window.testEditor.getCamera())).toEqual(panned)
  expect(await tom.page.evaluate(() => window.testEditor.getInstanceState().followingUserId)).toBeNull()
  await fran.context.close()
})

it('does not bring back someone who stopped following during the presentation, and releases everyone when the presenter’s page closes', async () => {
  const { fran, franId } = await openFacilitator('Fay Facilitator')
  await presentAndWaitForTom(fran.page, franId)
  // Tom stops following on his own while Fran presents; her stop does not bring him back.
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).click()
  await tomFollowsNobody()
  await fran.page.getByRole('button', { name: /Stop presenting/ }).click()
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  // Fran presents again (Tom follows again), then closes her page while presenting.
  await presentAndWaitForTom(fran.page, franId)
  await fran.page.close()
  await tomFollowsNobody()
  // Not "has left the workshop" while still following: Tom is simply free.
  expect(await sidePanel(tom.page).getByText('has left the workshop').count()).toBe(0)
  await fran.context.close()
})

it('releases everyone when the presenter’s browser goes offline, and tells the presenter why', async () => {
  // QA pass of 2026-12-06: offline (the browser's own state; Chromium keeps an open websocket
  // then), the presenter stayed in present mode with no word, and the team could not leave.
  const { fran, franId } = await openFacilitator('Flo Facilitator')
  await presentAndWaitForTom(fran.page, franId)
  await fran.context.setOffline(true)
  await tomFollowsNobody()
  await fran.page.getByText('Your connection dropped, so your presentation ended').waitFor({ timeout: WAIT_MS })
  await fran.page.getByRole('button', { name: /Stop presenting/ }).waitFor({ state: 'detached', timeout: WAIT_MS })
  // Back online, Fran's page is in the room again (Tom's list shows her) and presents nothing.
  await fran.context.setOffline(false)
  await fran.page.getByRole('button', { name: 'Present', exact: true }).waitFor({ timeout: WAIT_MS })
  expect(await tom.page.evaluate(() => window.testEditor.getInstanceState().followingUserId)).toBeNull()
  await fran.context.close()
})

it('keeps presenting when the presenter presses Esc to finish typing a note; the next Esc ends it (QA q28a)', async () => {
  const board = await openBoard(test.server, workshop.id, 'swot', 'Ada')
  await board.write([noteIn('strengths', 'shape:typed', 'Fast onboarding')])
  board.destroy()
  const { fran, franId } = await openFacilitator('Fran Typist')
  await presentAndWaitForTom(fran.page, franId)
  const note = fran.page.locator('.tl-shape[data-shape-id="shape:typed"]')
  await note.waitFor({ timeout: WAIT_MS })
  await note.dblclick()
  await fran.page.waitForFunction(() => window.testEditor.getEditingShapeId() !== null, undefined, { timeout: WAIT_MS })
  await fran.page.keyboard.type(' for pilots')
  await fran.page.keyboard.press('Escape')
  // The Esc left the note (its text kept), not the presentation.
  await fran.page.waitForFunction(() => window.testEditor.getEditingShapeId() === null, undefined, { timeout: WAIT_MS })
  expect(await fran.page.getByRole('button', { name: /Stop presenting/ }).count()).toBe(1)
  expect(await tom.page.evaluate(() => window.testEditor.getInstanceState().followingUserId)).toBe(franId)
  await fran.page.keyboard.press('Escape')
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  await tomFollowsNobody()
  await fran.context.close()
})
