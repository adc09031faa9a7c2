/**
 * The review page at laptop widths, as QA found it: a warning about a stakeholder card pasted
 * onto the SWOT board names the card ("Raj Patel"), never its raw id (`shape:…`); and the
 * stakeholder table fits its pane at 1280 and 1400 px, its last column (Owner) in view without
 * scrolling sideways.
 */
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { openPeople, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { SAMPLE } from '../helpers/sampleWorkshop.ts'
import { workshopFetch, type TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
const clients: BoardClient[] = []

const person = (id: string, x: number, name: string) =>
  stakeholder(id, { x, y: 0 }, { name, jobTitle: 'Head of Procurement', department: 'Procurement', buyingRole: 'gatekeeper', influence: 'medium', attitude: 'blocker', owner: 'Fiona Facilitator' })

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  const swot = await openBoard(e2e.server, workshop.id, 'swot', 'Ada')
  const people = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  clients.push(swot, people)
  await swot.write([...SAMPLE.swot, stakeholder('shape:stray', { x: 5000, y: 5000 }, { name: 'Raj Patel' })])
  await people.write([person('shape:p1', 0, 'Helga Brandt-Wittgenstein'), person('shape:p2', 400, 'Amélie Dubois'), person('shape:p3', 800, 'Kenji Watanabe')])
  const response = await workshopFetch(`${e2e.server.url}/api/workshops/${workshop.id}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label: 'After mapping' }),
  })
  expect(response.status).toBe(201)
})

afterAll(() => {
  for (const client of clients) client.destroy()
})

async function review(width: number): Promise<Page> {
  const [dana] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/snapshots?board=stakeholders`, ['Dana'], { width, height: 900 })
  if (!dana) throw new Error('openPeople returned no page')
  await dana.page.getByRole('table', { name: 'Stakeholders' }).getByRole('row', { name: /Kenji Watanabe/ }).waitFor({ timeout: WAIT_MS })
  return dana.page
}

describe('the review page', () => {
  it('names the misplaced card in its warning, without its id', async () => {
    const page = await review(1400)
    const warnings = page.locator('section.warnings li')
    await warnings.first().waitFor({ timeout: WAIT_MS })
    const text = (await warnings.allTextContents()).join('\n')
    expect(text).toContain('Raj Patel')
    expect(text).toContain('A stakeholder card on the SWOT board is not part of the plan')
    expect(text).not.toMatch(/shape:/)
    await page.context().close()
  })

  for (const width of [1280, 1400]) {
    it(`fits the stakeholder table at ${width} px: the Owner column is in view`, async () => {
      const page = await review(width)
      const table = page.getByRole('table', { name: 'Stakeholders' })
      const fit = await table.evaluate((t) => {
        const wrap = t.parentElement
        const owner = [...t.querySelectorAll('th')].find((th) => th.textContent === 'Owner')?.getBoundingClientRect()
        const pane = wrap?.getBoundingClientRect()
        return { overflow: (wrap?.scrollWidth ?? 0) - (wrap?.clientWidth ?? 0), ownerInPane: owner !== undefined && pane !== undefined && owner.right <= pane.right + 0.5, ownerInWindow: owner !== undefined && owner.right <= window.innerWidth }
      })
      expect(fit).toEqual({ overflow: 0, ownerInPane: true, ownerInWindow: true })
      await page.context().close()
    })
  }
})
