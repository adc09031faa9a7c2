/**
 * A presentation that ended while a page's room-control socket was away (docs/server-rules.md
 * [C12]): on reconnecting, the control channel's welcome names who presents now, so a follower
 * whose presenter stopped meanwhile stops following (as if `present-ended` had reached it, and says
 * so to a screen reader), and a
 * presenter whose own socket dropped (which ended the presentation for everyone) leaves present
 * mode and says why. Only the control socket is cut (Playwright's websocket routing); the board
 * stays connected, so the presenter's cursor and viewport still reach the follower.
 */
import type { BrowserContext, WebSocketRoute } from 'playwright-core'
import { beforeEach, expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS, type Person } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { openControl } from '../helpers/controlClient.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const test = setUpBrowserTest()
let workshop: TestWorkshop

// Each test has a workshop of its own, so pages a failed test leaves open do not meet the next one.
beforeEach(async () => {
  workshop = await test.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
})

/** A switch for a context's room-control sockets: `cut()` closes them and refuses new ones until `restore()`. */
async function controlSwitch(context: BrowserContext): Promise<{ cut(): void; restore(): void }> {
  let down = false
  const open = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>()
  await context.routeWebSocket(/\/control\//, (page) => {
    if (down) return void page.close({ code: 1012, reason: 'cut by the test' })
    const server = page.connectToServer()
    page.onMessage((message) => server.send(message))
    server.onMessage((message) => page.send(message))
    open.add({ page, server })
  })
  return {
    cut() {
      down = true
      for (const pair of open) {
        void pair.server.close({ code: 1000, reason: 'cut by the test' })
        void pair.page.close({ code: 1012, reason: 'cut by the test' })
      }
      open.clear()
    },
    restore() {
      down = false
    },
  }
}

/** Fran presenting on the SWOT and Tom's page following her there, each page's control socket on a switch. */
async function presenting(): Promise<{ fran: Person; tom: Person; franControl: { cut(): void; restore(): void }; tomControl: { cut(): void; restore(): void } }> {
  const [tom] = await openPeople(test.browser, 'about:blank', ['Tom Team'])
  const [fran] = await openPeople(test.browser, 'about:blank', ['Fran Facilitator'])
  if (!tom || !fran) throw new Error('openPeople returned nobody')
  const tomControl = await controlSwitch(tom.context)
  const franControl = await controlSwitch(fran.context)
  await tom.page.goto(`${test.server.url}/w/${workshop.id}/actions?token=${workshop.tokens.team}&name=Tom+Team`)
  await waitForBoard(tom.page)
  await fran.page.goto(`${test.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.facilitator}&name=Fran+Facilitator`)
  await waitForBoard(fran.page)
  await exposeEditor(fran.page)
  const franId = await fran.page.evaluate(() => window.testEditor.user.getId())
  await sidePanel(tom.page).getByRole('listitem').filter({ hasText: 'Fran Facilitator' }).waitFor({ timeout: WAIT_MS })
  await fran.page.getByRole('button', { name: 'Present', exact: true }).click()
  await fran.page.getByRole('button', { name: /Stop presenting/ }).waitFor({ timeout: WAIT_MS })
  await tom.page.waitForURL((url) => url.pathname.endsWith('/swot'), { timeout: WAIT_MS })
  await waitForBoard(tom.page)
  await exposeEditor(tom.page)
  await tom.page.waitForFunction((id) => window.testEditor.getInstanceState().followingUserId === id, franId, { timeout: WAIT_MS })
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ timeout: WAIT_MS })
  return { fran, tom, franControl, tomControl }
}

/** Tom's page follows nobody: tldraw's state, its indicator and the participant list agree. */
async function followsNobody(tom: Person): Promise<void> {
  await tom.page.waitForFunction(() => window.testEditor.getInstanceState().followingUserId === null, undefined, { timeout: WAIT_MS })
  await tom.page.locator('.tlui-following-indicator').waitFor({ state: 'detached', timeout: WAIT_MS })
  await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).waitFor({ state: 'detached', timeout: WAIT_MS })
}

it('[C12] a follower whose control socket was down when the presentation ended stops following once it reconnects', async () => {
  const { fran, tom, tomControl } = await presenting()
  // Someone else's page sees the end, so the test knows the server has ended it.
  const observer = await openControl(test.server, workshop.id, workshop.tokens.team, 'Olga Observer')
  tomControl.cut()
  await fran.page.keyboard.press('Escape')
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  await observer.next('present-ended')
  // Still following while away: nothing could tell the page.
  expect(await sidePanel(tom.page).getByRole('button', { name: 'Stop following' }).count()).toBe(1)
  tomControl.restore()
  await followsNobody(tom)
  // And a screen reader hears it, as on the pages that saw the end (QA q35a: it kept "…you follow them").
  await tom.page.getByTestId('room-announcer').filter({ hasText: 'The presentation ended' }).waitFor({ timeout: WAIT_MS })
  observer.close()
  await tom.context.close()
  await fran.context.close()
})

it('[C12] a presenter whose control socket dropped leaves present mode once it reconnects, and says why', async () => {
  const { fran, tom, franControl } = await presenting()
  franControl.cut()
  // The server ended the presentation when Fran's socket closed: Tom is released at once.
  await followsNobody(tom)
  franControl.restore()
  await fran.page.getByRole('button', { name: /Stop presenting/ }).waitFor({ state: 'detached', timeout: WAIT_MS })
  await fran.page.locator('.app-header').waitFor({ state: 'visible', timeout: WAIT_MS })
  const notice = fran.page.getByRole('alert').filter({ hasText: 'your presentation ended' })
  await notice.waitFor({ timeout: WAIT_MS })
  await notice.getByRole('button', { name: 'Dismiss' }).click()
  await notice.waitFor({ state: 'detached', timeout: WAIT_MS })
  await tom.context.close()
  await fran.context.close()
})
