/**
 * A board's internal document (issue 13) has its own socket, which carries no presence. The
 * y-websocket provider drops a socket that hears nothing for 30 s, so on a quiet board the internal
 * socket used to close and reopen every ~33 s (a resync each time, 1005 in the server's log). The
 * provider's own awareness renewal, relayed back by the server, now keeps it open: no close in 35 s.
 */
import { describe, expect, it } from 'vitest'
import { waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

describe('the internal part’s socket on a quiet board', () => {
  it('stays open past the provider’s 30 s without a message', async () => {
    const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Quiet board' })
    const context = await e2e.browser.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    const internalSockets: { url: string; closed: boolean }[] = []
    page.on('websocket', (socket) => {
      if (!new URL(socket.url()).pathname.endsWith('/internal')) return
      const entry = { url: socket.url(), closed: false }
      internalSockets.push(entry)
      socket.on('close', () => (entry.closed = true))
    })
    const link = new URL(workshop.links.team)
    link.searchParams.set('name', 'Tina Team')
    await page.goto(link.toString())
    await waitForBoard(page)
    await expect.poll(() => internalSockets.length, { timeout: WAIT_MS }).toBe(1)
    // Nobody does anything: past the provider's 30 s (its check runs every 3 s).
    await page.waitForTimeout(35_000)
    expect(internalSockets.map((s) => s.closed)).toEqual([false])
    await context.close()
  })
})
