/**
 * QA q32b: with no snapshots yet, the snapshots page told every role to "Save one now" (a guest,
 * the team and a viewer cannot: 403) and named three of the five boards. It now names them all,
 * and offers saving to the facilitator only.
 */
import { expect, it } from 'vitest'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { WAIT_MS } from '../helpers/browser.ts'

const e2e = setUpBrowserTest()

it('says who saves snapshots, in the words of each role', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
  const page = await context.newPage()
  const empty = page.locator('.review-empty')
  for (const [token, role] of [[workshop.tokens.team, 'team'], [workshop.tokens.facilitator, 'facilitator']] as const) {
    await page.goto(`${e2e.server.url}/w/${workshop.id}/snapshots?token=${token}&name=Tom`)
    await empty.getByRole('heading', { name: 'No snapshots yet' }).waitFor({ timeout: WAIT_MS })
    const text = await empty.textContent()
    expect(text).toContain('SWOT, stakeholders, objectives, actions, whitespace')
    if (role === 'team') {
      expect(text).not.toContain('Save one now')
      expect(text).toContain('The facilitator saves them')
    } else {
      expect(text).toContain('Save one now')
    }
  }
  await context.close()
})
