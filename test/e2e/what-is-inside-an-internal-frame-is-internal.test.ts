/**
 * [A39] in Chromium, on a customer-facing stakeholder map: a note written inside a frame the team
 * marked internal is internal (the team sees its lock; the board's shared document, which the
 * guest syncs, never holds its text), and a frame with a visible note marked internal takes the
 * note with it, and brings it back when marked visible again. QA found the note written inside an
 * internal frame without a lock, in the guest's websocket frames, history and snapshot board.
 */
import type { JsonObject } from '@tldraw/utils'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { readRecords } from '../../shared/docLayout.ts'
import { addNoteWithKeyboard, canvasPoint, openPeople, shapeWithText, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'
import { onlyCustomerFacing, teamPage } from '../helpers/teamAndGuest.ts'
import { note } from '../helpers/planBoards.ts'

const e2e = setUpBrowserTest()
const WRITTEN = 'WRITTEN-INSIDE-4f1'
const TAKEN = 'TAKEN-ALONG-7c2'
const STRAY = 'STRAY-FROM-OTHER-PAGE-9d3'
let workshop: TestWorkshop
let guest: Page
let team: Page
let firstFrame = ''
const guestHeard: string[] = []

/** The texts the server's document of `part` holds on the stakeholder map, as JSON. */
function documentText(part: 'shared' | 'internal'): string {
  const name = `${workshop.id}/stakeholders${part === 'internal' ? '/internal' : ''}`
  const room = e2e.server.server.rooms.get(name)
  return room ? JSON.stringify([...readRecords(room.doc).values()]) : ''
}

/** Draws a frame with the frame tool between two points of the canvas (fractions); it stays selected. */
async function drawFrame(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const a = await canvasPoint(page, ...from)
  const b = await canvasPoint(page, ...to)
  await page.keyboard.press('Escape')
  await page.keyboard.press('f')
  await page.mouse.move(a.x, a.y)
  await page.mouse.down()
  await page.mouse.move(b.x, b.y, { steps: 8 })
  await page.mouse.up()
}

/** The frame of id `id` on the page. */
function frame(page: Page, id: string) {
  return page.locator(`.tl-shape[data-shape-type="frame"][data-shape-id="${id}"]`)
}

/** The id of the frame the page shows that is not one of `known`, once there is one. */
async function newFrameId(page: Page, known: readonly string[]): Promise<string> {
  let id: string | undefined
  await waitUntil(async () => {
    const ids = await page.locator('.tl-shape[data-shape-type="frame"]').evaluateAll((frames) => frames.map((el) => el.getAttribute('data-shape-id') ?? ''))
    id = ids.find((candidate) => candidate !== '' && !known.includes(candidate))
    return id !== undefined
  }, 'a new frame')
  return id as string // found by the wait
}

/** The fractions of the canvas at the middle of the frame `id`. */
async function frameMiddle(page: Page, id: string): Promise<[number, number]> {
  const box = await frame(page, id).boundingBox()
  const canvas = await page.locator('.tl-canvas').boundingBox()
  if (!box || !canvas) throw new Error('the frame is not shown')
  return [(box.x + box.width / 2 - canvas.x) / canvas.width, (box.y + box.height / 2 - canvas.y) / canvas.height]
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  const [guestPerson] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  if (!guestPerson) throw new Error('no guest page')
  guest = guestPerson.page
  guest.on('websocket', (socket) =>
    socket.on('framereceived', ({ payload }) => guestHeard.push(typeof payload === 'string' ? payload : Buffer.from(payload).toString('latin1'))),
  )
  const [teamPerson] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tina Team'])
  if (!teamPerson) throw new Error('no team page')
  team = teamPerson.page
  // The guest's link opens the first board it may see: the stakeholder map, the only one shared.
  await Promise.all([waitForBoard(guest), waitForBoard(team)])
  expect(new URL(guest.url()).pathname).toBe(`/w/${workshop.id}/stakeholders`)
})

describe('a frame the team marks internal', () => {
  it('makes a note written inside it internal: locked for the team, never in the shared document [A39]', async () => {
    await drawFrame(team, [0.05, 0.15], [0.3, 0.55])
    firstFrame = await newFrameId(team, [])
    await team.keyboard.press('Alt+i')
    await team.locator('.keyplan-internal-marker').first().waitFor({ timeout: WAIT_MS })
    await addNoteWithKeyboard(team, ...(await frameMiddle(team, firstFrame)), WRITTEN)
    // The note carries the lock like its frame.
    await waitUntil(async () => (await team.locator('.keyplan-internal-marker').count()) === 2, 'the note inside the internal frame to be marked internal')
    await waitUntil(async () => documentText('internal').includes(WRITTEN), 'the note to reach the internal document')
    expect(documentText('shared')).not.toContain(WRITTEN)
    expect(guestHeard.join('\n')).not.toContain(WRITTEN)
    expect(await guest.content()).not.toContain(WRITTEN)
  })

  it('takes a visible note inside it along, and brings it back when marked visible again [A39]', async () => {
    await drawFrame(team, [0.55, 0.15], [0.8, 0.55])
    const second = await newFrameId(team, [firstFrame])
    await addNoteWithKeyboard(team, ...(await frameMiddle(team, second)), TAKEN)
    // Attached, not necessarily visible: the guest's camera may leave it off-screen (culled).
    await shapeWithText(guest, 'note', TAKEN).waitFor({ state: 'attached', timeout: WAIT_MS })

    // Select the frame by its heading and mark it internal: the note goes with it.
    await team.keyboard.press('Escape')
    await frame(team, second).locator('.tl-frame-heading').click()
    await team.keyboard.press('Alt+i')
    await waitUntil(async () => (await team.locator('.keyplan-internal-marker').count()) === 4, 'the frame and its note to be marked internal')
    await shapeWithText(guest, 'note', TAKEN).waitFor({ state: 'detached', timeout: WAIT_MS })
    await waitUntil(async () => documentText('internal').includes(TAKEN), 'the note to reach the internal document')
    expect(documentText('shared')).not.toContain(TAKEN)

    // Marked visible again: the note it took along comes back; the one written inside the other frame stays internal.
    await team.keyboard.press('Alt+i')
    await shapeWithText(guest, 'note', TAKEN).waitFor({ state: 'attached', timeout: WAIT_MS })
    await waitUntil(async () => (await team.locator('.keyplan-internal-marker').count()) === 2, 'the frame and its note to be visible again')
    expect(documentText('shared')).not.toContain(WRITTEN)
  })

  it('marks a note another page wrote unmarked into the internal frame, moving it out of the shared document [A39]', async () => {
    // As a page from before the rule, or one that drew into the frame as it was being marked.
    const other = await teamPage(e2e.server, workshop, 'stakeholders', 'Otto Other')
    try {
      await other.change([note('shape:stray', { x: 20, y: 20, parentId: firstFrame }, STRAY) as unknown as JsonObject]) // tldraw records are JSON
      await waitUntil(async () => documentText('internal').includes(STRAY) && !documentText('shared').includes(STRAY), 'the team page to move the stray note into the internal document')
      await team.locator('.keyplan-internal-marker[data-shape-id="shape:stray"]').waitFor({ state: 'attached', timeout: WAIT_MS })
    } finally {
      other.destroy()
    }
  })
})
