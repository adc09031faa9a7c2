/**
 * A guest's review compares two snapshots only on boards shared in both (docs/security.md [A19]).
 * It said "No changes since Midday" when the SWOT, shared only since, held new notes (QA pass of
 * 2026-12-06): the summary now names the boards it did not compare.
 */
import { expect, it } from 'vitest'
import { openBoard } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { noteIn } from '../helpers/sampleWorkshop.ts'
import { takeSnapshot, workshopFetch } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()

async function share(workshopId: string, swot: boolean): Promise<void> {
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshopId}/settings`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot, stakeholders: false, objectives: false, actions: true, whitespace: false } }),
  })
  expect(response.status).toBe(200)
}

it('names the boards a guest’s comparison leaves out instead of saying nothing changed', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint session' })
  await share(workshop.id, false)
  await takeSnapshot(e2e.server, workshop.id, 'Midday')
  await share(workshop.id, true)
  const swot = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  await swot.write([noteIn('opportunities', 'shape:n-grid', 'Grid modernisation budget')])
  await takeSnapshot(e2e.server, workshop.id, 'Wrap-up')
  // Left after the snapshot: leaving before it let the session's end snapshot (the SWOT changed)
  // come between Midday and Wrap-up when the room unloaded first (CI, under load), and the review
  // then compared Wrap-up with it, on the SWOT too.
  swot.destroy()

  const [carla] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots?token=${workshop.tokens.guest}`, ['Carla Customer'])
  if (!carla) throw new Error('openPeople returned no page')
  const summary = carla.page.locator('.change-summary')
  await summary.filter({ hasText: 'Not compared: SWOT' }).waitFor({ timeout: WAIT_MS })
  expect(await summary.textContent()).toContain('No changes since Midday')
  expect(await summary.textContent()).toContain('on the boards compared')
})
