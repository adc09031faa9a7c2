/**
 * Following someone on the canvas ends when the person following chooses to (they pan, zoom or
 * press tldraw's stop), not when code moves their camera, in Chromium. tldraw ends its following on
 * any camera move; the page took every such end for the person's choice, and stopped following for
 * good (CI, `facilitator-presents-board`: the board's content arrived after the leader's presence,
 * the page framed it, and the follower's page followed nobody).
 *
 * Bob's sync sockets of the SWOT are routed so that the board's content can be held back while
 * the leader's presence (awareness) goes through, as it does when the server is slow to answer.
 */
import type { Page, WebSocketRoute } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { MESSAGE_TYPE, SYNC_MESSAGE_TYPE } from '../../shared/protocol.ts'
import { canvasPoint, openPeople, sidePanel, waitForBoard, waitForFollowing, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { facilitatorToken, type TestWorkshop } from '../helpers/startServer.ts'

declare global {
  interface Window {
    /** Every value of the canvas's `followingUserId`, in order, once recorded. */
    followingLog: (string | null)[]
  }
}

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let alice: Page
let bob: Page
/** While true, the board content the server sends on Bob's SWOT sockets is kept here. */
let holdingContent = true
const held: { page: WebSocketRoute; message: string | Buffer }[] = []

/** A sync step 2 or a sync update: the board's content, as opposed to awareness and step 1. */
function isContent(message: string | Buffer): boolean {
  if (typeof message === 'string' || message.length < 2) return false
  return message[0] === MESSAGE_TYPE.sync && (message[1] === SYNC_MESSAGE_TYPE.step2 || message[1] === SYNC_MESSAGE_TYPE.update)
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'FY27 account plan' })
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot`, ['Alice Archer'])
  if (!person) throw new Error('openPeople opened nobody')
  alice = person.page
  await waitForBoard(alice)

  const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US' })
  await context.routeWebSocket(/\/sync\//, (ws) => {
    const server = ws.connectToServer()
    const swot = new URL(ws.url()).pathname.includes(`/${workshop.id}/swot`)
    ws.onMessage((message) => server.send(message))
    server.onMessage((message) => {
      if (swot && holdingContent && isContent(message)) held.push({ page: ws, message })
      else ws.send(message)
    })
  })
  bob = await context.newPage()
  bob.on('pageerror', (error) => console.error('[Bob Baker] page error:', error))
  const url = new URL(`${e2e.server.url}/w/${workshop.id}/objectives`)
  url.searchParams.set('name', 'Bob Baker')
  url.searchParams.set('token', facilitatorToken(workshop.id) ?? '')
  await bob.goto(url.toString())
  await waitForBoard(bob)
  // Alice's pointer on her board: the cursor presence is what tldraw follows.
  const spot = await canvasPoint(alice, 0.5, 0.5)
  await alice.mouse.move(spot.x, spot.y)
})

/** Records every change of the canvas's following from now on, in `window.followingLog`. */
async function recordFollowing(page: Page): Promise<void> {
  await exposeEditor(page)
  await page.evaluate(() => {
    const editor = window.testEditor
    window.followingLog = [editor.getInstanceState().followingUserId]
    editor.store.listen(() => {
      const now = editor.getInstanceState().followingUserId
      if (window.followingLog.at(-1) !== now) window.followingLog.push(now)
    })
  })
}

const shapeCount = (page: Page) => page.evaluate(() => window.testEditor.getCurrentPageShapeIds().size)

describe('following on the canvas', () => {
  it('keeps following when the board content arrives after the leader is followed', async () => {
    await sidePanel(bob).getByRole('button', { name: 'Follow Alice Archer' }).click()
    await waitForFollowing(bob)
    await recordFollowing(bob)
    expect(await shapeCount(bob)).toBe(0) // the SWOT's quadrants are held back
    expect(held.length).toBeGreaterThan(0)

    holdingContent = false
    for (const { page, message } of held.splice(0)) page.send(message)
    await waitUntil(async () => (await shapeCount(bob)) > 0, "the SWOT's content on Bob's page")
    // Two frames: what the content's arrival does to the camera is done by then.
    await bob.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))))
    const aliceId = await alice.evaluate(() => localStorage.getItem('keyplan:userId'))
    expect(await bob.evaluate(() => window.followingLog)).toEqual([aliceId])
  })

  it('follows again after a camera move made by code, and stops on a wheel over the canvas', async () => {
    const aliceId = await alice.evaluate(() => localStorage.getItem('keyplan:userId'))
    const after = await bob.evaluate(() => {
      window.testEditor.setCamera({ x: -4000, y: -4000, z: 0.5 })
      return window.testEditor.getInstanceState().followingUserId
    })
    expect(after).toBeNull() // tldraw ended its following
    await waitUntil(async () => (await bob.evaluate(() => window.testEditor.getInstanceState().followingUserId)) === aliceId, 'the canvas following Alice again')
    await waitForFollowing(bob)
    expect(await sidePanel(bob).getByRole('button', { name: 'Stop following' }).count()).toBe(1)

    const spot = await canvasPoint(bob, 0.5, 0.5)
    await bob.mouse.move(spot.x, spot.y)
    await bob.mouse.wheel(0, 300)
    await sidePanel(bob).getByRole('button', { name: 'Follow Alice Archer' }).waitFor({ timeout: WAIT_MS })
    expect(await bob.evaluate(() => window.testEditor.getInstanceState().followingUserId)).toBeNull()
  })
})
