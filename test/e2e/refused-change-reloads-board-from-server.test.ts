/**
 * [S26] in real Chromium: when the server refuses a change of a page (close code 4422), the page
 * drops its copy of the board, in memory and in IndexedDB, loads it afresh from the server and says
 * plainly that a change was not allowed. The server here caps an update at 2 record-log entries
 * ([S28], `MAX_UPDATE_ENTRIES`), so duplicating three notes at once is refused while writing notes
 * one by one is not.
 */
import type { Page } from 'playwright-core'
import { beforeAll, expect, it } from 'vitest'
import * as Y from 'yjs'
import { readRecords } from '../../shared/docLayout.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { addNoteWithKeyboard, openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { testConfig } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest({ updateLimits: { ...testConfig().updateLimits, maxEntries: 2 } })
let page: Page
let room: string

const notes = (p: Page) => p.locator('.tl-shape[data-shape-type="note"]')

/** The notes (their ids and props) a copy of the board holds. */
function notesOf(doc: Y.Doc | undefined): string[] {
  if (!doc) return []
  return [...readRecords(doc).values()].filter((r) => r.typeName === 'shape' && r.type === 'note').map((r) => JSON.stringify([r.id, r.props]))
}

const serverNotes = () => notesOf(e2e.server.server.rooms.get(room)?.doc)

/** The notes of the page's IndexedDB copy of the board (y-indexeddb's `updates` store), read back in Node. */
async function browserNotes(p: Page): Promise<string[]> {
  const updates = await p.evaluate(
    (name) =>
      new Promise<number[][]>((resolve, reject) => {
        const open = indexedDB.open(name)
        open.onerror = () => reject(open.error)
        open.onsuccess = () => {
          const db = open.result
          const all = db.transaction('updates').objectStore('updates').getAll()
          all.onsuccess = () => {
            resolve((all.result as Uint8Array[]).map((update) => [...update]))
            db.close()
          }
          all.onerror = () => reject(all.error)
        }
      }),
    `keyplan:${room}`,
  )
  const doc = new Y.Doc()
  for (const update of updates) Y.applyUpdate(doc, new Uint8Array(update))
  return notesOf(doc)
}

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint planning session' })
  room = syncRoomName(workshop.id, 'actions')
  const url = new URL(workshop.links.team)
  url.pathname += '/actions'
  const [person] = await openPeople(e2e.browser, url.toString(), ['Tom Team'])
  if (!person) throw new Error('openPeople returned no page')
  page = person.page
  await waitForBoard(page)
})

it('drops the refused change, in memory and in IndexedDB, and comes back to the server state', async () => {
  // One note at a time, each stored with its text before the next is begun: on a loaded machine the
  // page may send the end of one note's typing with the next note in one update, over the cap of 2.
  for (const [fx, fy, text] of [[0.3, 0.45, 'Renewal risk'], [0.55, 0.6, 'Pricing review'], [0.7, 0.4, 'Pilot in Q3']] as const) {
    await addNoteWithKeyboard(page, fx, fy, text)
    await expect.poll(() => serverNotes().some((note) => note.includes(text)), { timeout: WAIT_MS }).toBe(true)
  }
  expect(serverNotes()).toHaveLength(3)
  const stored = serverNotes().sort()

  // Three new notes in one update: over the cap, refused.
  await page.keyboard.press('Escape')
  await page.keyboard.press('ControlOrMeta+a')
  await page.keyboard.press('ControlOrMeta+d')
  await page.getByRole('alert').filter({ hasText: 'A change you made was not allowed' }).waitFor({ timeout: WAIT_MS })
  await page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
  await expect.poll(() => notes(page).count(), { timeout: WAIT_MS }).toBe(3)
  expect(serverNotes().sort()).toEqual(stored)

  // What the browser keeps is the server's copy: IndexedDB holds the same notes, and no refused one.
  await expect.poll(async () => (await browserNotes(page)).sort(), { timeout: WAIT_MS }).toEqual(stored)
})
