/**
 * [R11] in real Chromium: a board holding a note that is its own parent, two notes each the other's
 * parent, and an arrow bound to itself (stored before the server refused them, [R10]; QA q33a: every
 * page opening such a board froze for good, or showed tldraw's "Something went wrong") opens, shows
 * its other cards and stays editable. A cycle written while the facilitator's page is open does not
 * freeze it either, and once a later change breaks the cycle the notes appear.
 */
import type { JsonObject } from '@tldraw/utils'
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import { readRecords } from '../../shared/docLayout.ts'
import { BOARD_PAGE_ID } from '../../shared/templates.ts'
import { writeBoardRecords } from '../../server/sync/writeBoardRecords.ts'
import { addNoteWithKeyboard, openPeople, shapeWithText, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { arrow, arrowBinding, note } from '../helpers/planBoards.ts'
import type { TestWorkshop } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let workshop: TestWorkshop
let page: Page

const json = (record: unknown) => record as JsonObject // test records are JSON

/** Writes `put` into the stored action plan as the server's own write: no record pass, as before [R10]. */
async function storeDirectly(put: JsonObject[]): Promise<void> {
  await e2e.server.server.rooms.withRoom(workshop.id, 'actions', (room) => writeBoardRecords(room, { put, remove: [] }, 'test'))
}

/** Whether the page's main thread answers within a few seconds (a frozen page never does). */
async function answers(p: Page): Promise<boolean> {
  return Promise.race([p.evaluate(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 5_000))])
}

/** Whether the server's action plan holds a record whose props mention `text`. */
function serverHas(text: string): boolean {
  const doc = e2e.server.server.rooms.get(`${workshop.id}/actions`)?.doc
  return doc !== undefined && [...readRecords(doc).values()].some((record) => JSON.stringify(record.props ?? null).includes(text))
}

beforeAll(async () => {
  workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint planning session' })
  await storeDirectly([
    json(note('shape:fine', { x: 200, y: 200 }, 'Renewal risk')),
    json(note('shape:self', { x: 500, y: 200, parentId: 'shape:self' }, 'Self parent')),
    json(note('shape:cycA', { x: 700, y: 200, parentId: 'shape:cycB' }, 'Cycle A')),
    json(note('shape:cycB', { x: 900, y: 200, parentId: 'shape:cycA' }, 'Cycle B')),
    json(arrow('shape:arr', { x: 200, y: 500 })),
    json(arrowBinding('shape:arr', 'shape:arr', 'end')),
  ])
  const [person] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/actions`, ['Fiona Facilitator'])
  if (!person) throw new Error('openPeople returned no page')
  page = person.page
})

it('opens a board holding a self-parent, a parent cycle and a self-bound arrow, and its other cards are editable', async () => {
  await waitForBoard(page)
  await shapeWithText(page, 'note', 'Renewal risk').waitFor({ timeout: WAIT_MS })
  expect(await answers(page)).toBe(true)
  expect(await page.getByText('Something went wrong').count()).toBe(0)
  expect(await shapeWithText(page, 'note', 'Self parent').count()).toBe(0)
  expect(await shapeWithText(page, 'note', 'Cycle A').count()).toBe(0)

  await addNoteWithKeyboard(page, 0.45, 0.7, 'Pricing review')
  await expect.poll(() => serverHas('Pricing review'), { timeout: WAIT_MS }).toBe(true)
  expect(await answers(page)).toBe(true)
})

it('a cycle written while the page is open does not freeze it; broken later, its notes appear', async () => {
  await storeDirectly([
    json(note('shape:loopA', { x: 300, y: 300, parentId: 'shape:loopB' }, 'Loop A')),
    json(note('shape:loopB', { x: 100, y: 100, parentId: 'shape:loopA' }, 'Loop B')),
  ])
  await expect.poll(() => serverHas('Loop A'), { timeout: WAIT_MS }).toBe(true)
  expect(await answers(page)).toBe(true)
  await addNoteWithKeyboard(page, 0.3, 0.8, 'Pilot in Q3')
  await expect.poll(() => serverHas('Pilot in Q3'), { timeout: WAIT_MS }).toBe(true)

  await storeDirectly([json(note('shape:loopA', { x: 300, y: 300, parentId: BOARD_PAGE_ID }, 'Loop A'))])
  await shapeWithText(page, 'note', 'Loop A').waitFor({ timeout: WAIT_MS })
  await shapeWithText(page, 'note', 'Loop B').waitFor({ timeout: WAIT_MS })
  expect(await answers(page)).toBe(true)
})
