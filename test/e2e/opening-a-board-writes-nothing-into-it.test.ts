/**
 * QA pass q26b (twenty-sixth session): every page that opened a board wrote tldraw's `user` record
 * (the person's name and colour) into the board's document. So a visit changed the board: someone
 * who only looked got a session-end snapshot stored and made the plan look freshly changed, and
 * the SWOT of one workshop held 39 visitors' names. The page keeps that record to itself now.
 */
import { expect, it } from 'vitest'
import { readRecords } from '../../shared/docLayout.ts'
import { addNoteWithKeyboard, openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

const e2e = setUpBrowserTest()

it("a page's own user record stays in its store, not in the board everyone syncs", async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Müller & Söhne GmbH', title: 'FY27' })
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/swot?token=${workshop.tokens.team}`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  await waitForBoard(tom.page)
  await exposeEditor(tom.page)
  // tldraw put it into the page's store on mount.
  await expect.poll(() => tom.page.evaluate(() => window.testEditor.store.allRecords().some((record) => record.typeName === 'user')), { timeout: WAIT_MS }).toBe(true)

  // A note written after it: once a raw client has the note, it has everything the page wrote before.
  await addNoteWithKeyboard(tom.page, 0.3, 0.3, 'Written after the mount')
  const raw = await connectSynced(e2e.server.syncUrl, `${workshop.id}/swot`)
  try {
    const hasNote = () => [...readRecords(raw.doc).values()].some((record) => JSON.stringify(record).includes('Written after the mount'))
    await waitFor(hasNote, 'the raw client to have the note', WAIT_MS)
    expect([...readRecords(raw.doc).values()].filter((record) => record.typeName === 'user')).toEqual([])
  } finally {
    raw.destroy()
  }
})
