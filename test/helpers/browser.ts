import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core'
import type { TLShapeId } from 'tldraw'
import { BOARD_TITLES } from '../../shared/boards.ts'
import { exposeEditor } from './pageEditor.ts'
import { facilitatorToken } from './startServer.ts'

/** Debian's Chromium (installed by `.ci/run`); tests never download browsers. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

/** Launches headless Chromium. Close it in `afterAll`. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

const shared = globalThis as { keyplanTestBrowser?: Promise<Browser> }

/**
 * One headless Chromium per test worker process, for the browser test files it runs one after
 * another (vitest's `isolate: false`): launching it and its first page costs seconds on a 2-core
 * machine. Each file closes the contexts it opened ({@link closeContexts}) and leaves the browser
 * to the next; Playwright kills it when the worker exits. A browser that went away is launched anew.
 */
export function sharedBrowser(): Promise<Browser> {
  shared.keyplanTestBrowser ??= launchBrowser().then((browser) => {
    browser.once('disconnected', () => {
      shared.keyplanTestBrowser = undefined
    })
    return browser
  })
  return shared.keyplanTestBrowser.catch((error: unknown) => {
    shared.keyplanTestBrowser = undefined
    throw error
  })
}

/** Closes every context of `browser`: the pages a test file opened, so none of them outlives it. */
export async function closeContexts(browser: Browser): Promise<void> {
  await Promise.all(browser.contexts().map((context) => context.close()))
}

/** One person in a test: their own browser context (own storage, own network) and page. */
export interface Person {
  context: BrowserContext
  page: Page
  name: string
}

/**
 * Opens a fresh context per person (isolated localStorage and IndexedDB, like two laptops) and
 * a page each at `url` with `?name=` set, so no name prompt appears. A workshop URL without a
 * `token` gets the facilitator's token of a workshop the test helpers created, as if the person
 * had opened the facilitator's invite link (the page keeps it for later visits).
 */
export async function openPeople(
  browser: Browser,
  url: string,
  names: readonly string[],
  viewport = { width: 1400, height: 900 },
): Promise<Person[]> {
  const people: Person[] = []
  for (const name of names) {
    // One locale, whatever the machine's: dates are typed and numbers read as en-US writes them.
    const context = await browser.newContext({ viewport, locale: 'en-US' })
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error))
    const target = new URL(url)
    target.searchParams.set('name', name)
    const token = facilitatorToken(/^\/w\/([^/]+)/.exec(target.pathname)?.[1] ?? '')
    if (token !== undefined && !target.searchParams.has('token')) target.searchParams.set('token', token)
    await page.goto(target.toString())
    people.push({ context, page, name })
  }
  return people
}

/** Default wait for anything a test expects to appear: generous for a loaded 2-core machine. */
export const WAIT_MS = 20_000

/**
 * Waits until the page shows the canvas of the board its address names (any canvas where it names
 * none), the address read anew at each poll (a page may be sent on to another board). A board
 * opened by a link or by the room (following, presenting) changes the address at once, while React
 * renders the new board in a transition: for a moment the old board is still on the page.
 */
async function waitForAddressedCanvas(page: Page): Promise<void> {
  await page.waitForFunction(
    (titles) => {
      const board = /^\/w\/[^/]+\/([^/?]+)/.exec(location.pathname)?.[1]
      const title = board !== undefined && Object.hasOwn(titles, board) ? titles[board] : undefined
      const selector = title === undefined ? '.tl-canvas' : `main[aria-label="${title} board"] .tl-canvas`
      return document.querySelector(selector) !== null
    },
    BOARD_TITLES as Record<string, string>,
    { timeout: WAIT_MS },
  )
}

/** Waits until the page shows the board its address names, connected, with the canvas ready. */
export async function waitForBoard(page: Page): Promise<void> {
  try {
    await waitForAddressedCanvas(page)
    await page.locator('.connection[data-state="connected"]').waitFor({ timeout: WAIT_MS })
    await page.locator('.tl-canvas').waitFor({ timeout: WAIT_MS })
  } catch (error) {
    throw new Error(`The board did not open: ${await describePage(page)}`, { cause: error })
  }
}

/**
 * Waits until `page` shows `text`; a failed wait says what the page showed instead (its address,
 * connection state and text), so a rare failure in CI can be read from its log.
 */
export async function waitForText(page: Page, text: string): Promise<void> {
  try {
    await page.getByText(text).first().waitFor({ timeout: WAIT_MS })
  } catch (error) {
    throw new Error(`“${text}” was not shown: ${await describePage(page)}`, { cause: error })
  }
}

/**
 * Waits until the canvas of `page` follows someone (tldraw's following indicator). A failed wait
 * says what the page showed, its side panel (whom the page means to follow), and whom its canvas
 * follows and sees on the board, so that a rare failure in CI can be read from its log.
 */
export async function waitForFollowing(page: Page): Promise<void> {
  try {
    await page.locator('.tlui-following-indicator').waitFor({ timeout: WAIT_MS })
  } catch (error) {
    const panel = await page
      .locator('.side-panel')
      .innerText({ timeout: 1_000 })
      .then((text) => text.replace(/\s+/g, ' ').slice(-400))
      .catch(() => 'no side panel')
    const canvas = await exposeEditor(page, 1_000)
      .then(() =>
        page.evaluate(() => {
          const editor = window.testEditor
          const seen = editor.getCollaborators().map((c) => `${c.userName} (${c.userId}) on ${c.currentPageId}${c.followingUserId ? `, following ${c.followingUserId}` : ''}`)
          return `the canvas follows ${editor.getInstanceState().followingUserId ?? 'nobody'} and sees ${seen.join('; ') || 'nobody'}`
        }),
      )
      .catch((reason: unknown) => `the canvas could not be read (${String(reason)})`)
    throw new Error(`The page follows nobody: ${await describePage(page)}; side panel ends "${panel}"; ${canvas}`, { cause: error })
  }
}

/** What a page shows, for the message of a failed wait: its address, connection state and text. */
async function describePage(page: Page): Promise<string> {
  try {
    const state = await page.locator('.connection').first().getAttribute('data-state', { timeout: 1_000 }).catch(() => 'no badge')
    const text = (await page.locator('body').innerText({ timeout: 1_000 })).replace(/\s+/g, ' ').slice(0, 600)
    return `at ${new URL(page.url()).pathname}, connection ${state}, page text "${text}"`
  } catch (error) {
    return `the page could not be read (${String(error)})`
  }
}

/** The rendered shapes of one tldraw shape type that contain `text`. */
export function shapeWithText(page: Page, type: string, text: string) {
  return page.locator(`.tl-shape[data-shape-type="${type}"]`, { hasText: text })
}

/** A point inside the canvas, as fractions of its width and height. */
export async function canvasPoint(page: Page, fx: number, fy: number): Promise<{ x: number; y: number }> {
  // Right after a board is opened the old canvas may be going and the new one not yet shown:
  // wait for a shown canvas, and read it again if it went between the wait and the read.
  const canvas = page.locator('.tl-canvas')
  const deadline = Date.now() + WAIT_MS
  for (;;) {
    await canvas.waitFor({ state: 'visible', timeout: Math.max(1, deadline - Date.now()) })
    const box = await canvas.boundingBox()
    if (box) return { x: box.x + box.width * fx, y: box.y + box.height * fy }
    if (Date.now() > deadline) throw new Error('The canvas is not visible')
  }
}

/**
 * Clicks the middle of a rendered shape with the mouse. tldraw hit-tests shapes on its canvas,
 * not through their DOM (which does not take pointer events), so a DOM click would be refused.
 */
export async function clickShape(page: Page, shape: Locator, options: { double?: boolean } = {}): Promise<void> {
  await shape.waitFor({ timeout: WAIT_MS })
  const box = await shape.boundingBox()
  if (!box) throw new Error('The shape is not visible')
  const x = box.x + box.width / 2
  const y = box.y + box.height / 2
  // Two single clicks on one spot within tldraw's double-click time are a double click (a click on
  // a card then started a text on it): a test quick enough to click the same card again that soon
  // waits until the first click is a click of its own.
  const last = lastClicks.get(page)
  const since = last ? Date.now() - last.at : Number.POSITIVE_INFINITY
  if (last && since < DOUBLE_CLICK_MS && Math.hypot(last.x - x, last.y - y) <= DOUBLE_CLICK_DISTANCE) await new Promise((resolve) => setTimeout(resolve, DOUBLE_CLICK_MS - since))
  if (options.double) await page.mouse.dblclick(x, y)
  else await page.mouse.click(x, y)
  lastClicks.set(page, { at: Date.now(), x, y })
}

/** A margin over tldraw's `doubleClickDurationMs` (450) and its `MAX_CLICK_DISTANCE` (40 px). */
const DOUBLE_CLICK_MS = 600
const DOUBLE_CLICK_DISTANCE = 40
/** Each page's last click through {@link clickShape}: when, and where on the screen. */
const lastClicks = new WeakMap<Page, { at: number; x: number; y: number }>()

/**
 * Waits until a shape's text editor has focus (keys typed before that would be lost: tldraw marks
 * the shape as edited, mounts its editor and focuses it in steps, and on a loaded machine a key
 * typed between two of them goes to the canvas). Also until tldraw has placed the selection: it
 * does so a timeout after the focus (TipTap's `onCreate`, which selects all of a label and then
 * hands the editor to tldraw), so a Control+End pressed before that was undone, and keys typed
 * before it were selected and replaced by the next ones (the flakes of
 * `two-people-type-into-one-note`, A's note lost its first word, and of
 * `guest-select-all-delete-keeps-others-notes`, a guest's new note never showed its text). Exposes
 * the page's editor (`exposeEditor`), the current board's, to see that.
 */
export async function waitForTextEditing(page: Page): Promise<void> {
  await page.locator('.tl-shape [contenteditable="true"]').first().waitFor({ timeout: WAIT_MS })
  await page.waitForFunction(() => document.activeElement?.matches('.tl-shape [contenteditable="true"]') ?? false, undefined, { timeout: WAIT_MS })
  // Exposed again each time: after a move to another board, `testEditor` would be the old board's.
  await exposeEditor(page, WAIT_MS)
  await page.waitForFunction(() => window.testEditor.getRichTextEditor() !== null, undefined, { timeout: WAIT_MS })
}

/**
 * Puts the caret at the end of the text being edited on a page whose editor is exposed
 * (`exposeEditor`), and waits until it is there: tldraw may still select the whole label after the
 * editor has focus, and a key typed over a selection replaces the text.
 */
export async function caretToEnd(page: Page): Promise<void> {
  await waitUntil(async () => {
    await page.keyboard.press('Control+End')
    return page.evaluate(() => {
      const selection = window.testEditor.getRichTextEditor()?.state.selection
      return selection !== undefined && selection.empty && selection.$head.parentOffset === selection.$head.parent.content.size && selection.$head.after() === selection.$head.doc.content.size
    })
  }, 'the caret is at the end of the text')
}

/**
 * Writes a sticky note with the keyboard's note tool at a point of the canvas (fractions of its
 * width and height, as {@link canvasPoint}) and waits until this page shows it.
 */
export async function addNoteWithKeyboard(page: Page, fx: number, fy: number, text: string): Promise<void> {
  const spot = await canvasPoint(page, fx, fy)
  await page.mouse.click(spot.x, spot.y) // focus the canvas (select tool: clicking empty space is harmless)
  await page.keyboard.press('Escape')
  await page.keyboard.press('n')
  await page.mouse.click(spot.x, spot.y)
  await waitForTextEditing(page)
  await page.keyboard.type(text)
  await page.keyboard.press('Escape')
  await shapeWithText(page, 'note', text).waitFor({ timeout: WAIT_MS })
}

/** The workshop page's side panel (card details, participants), where form fields live. */
export function sidePanel(page: Page): Locator {
  return page.getByRole('complementary', { name: 'Board details' })
}

/** Polls `check` every 100 ms until it holds; throws naming `what` after {@link WAIT_MS}. */
export async function waitUntil(check: () => Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + WAIT_MS
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/** Draws a relationship on the stakeholder map with "Add relationship", from the middle of one rendered card to the other's. */
export async function drawRelationship(page: Page, from: Locator, to: Locator): Promise<void> {
  const [start, end] = await Promise.all([from.boundingBox(), to.boundingBox()])
  if (!start || !end) throw new Error('cards not visible')
  await page.getByRole('button', { name: 'Add relationship' }).click()
  await page.mouse.move(start.x + start.width / 2, start.y + start.height / 2)
  await page.mouse.down()
  await page.mouse.move(end.x + end.width / 2, end.y + end.height / 2, { steps: 10 })
  await page.mouse.up()
}

/**
 * Saves a snapshot with the workshop header's button, as a facilitator does, and waits for the
 * server's answer. The page sends what it wrote ([S42]), so the snapshot holds its last edits even
 * if they are still on their way.
 */
export async function saveSnapshotInPage(page: Page, label: string): Promise<void> {
  await page.getByRole('button', { name: 'Save snapshot' }).click()
  const dialog = page.getByRole('dialog', { name: 'Save snapshot' })
  await dialog.getByLabel('Label (optional)').fill(label)
  await dialog.getByRole('button', { name: 'Save', exact: true }).click()
  await page.getByRole('status').filter({ hasText: 'Snapshot saved' }).waitFor({ timeout: WAIT_MS })
}

/**
 * Gives the canvas of `page` the keyboard (a click at a spot of it, as {@link canvasPoint}) and
 * selects the note with text `text` by its id, then presses `key` (Delete, Alt+i): a click on the
 * note itself could take another shape on the same spot.
 */
export async function pressOnNote(page: Page, text: string, key: string, spot = { fx: 0.6, fy: 0.45 }): Promise<void> {
  const id = await shapeWithText(page, 'note', text).getAttribute('data-shape-id')
  const empty = await canvasPoint(page, spot.fx, spot.fy)
  await page.mouse.click(empty.x, empty.y)
  await exposeEditor(page)
  await page.evaluate((shapeId) => {
    window.testEditor.select(shapeId as TLShapeId)
  }, id)
  await page.keyboard.press(key)
}

/** Renames a whitespace header as a person does: double-click its label, select all of it, type the new one key by key. */
export async function renameHeader(page: Page, header: Locator, label: string): Promise<void> {
  await clickShape(page, header, { double: true })
  await waitForTextEditing(page)
  await page.keyboard.press('Control+A')
  await page.keyboard.type(label)
  await page.keyboard.press('Escape')
  await shapeWithText(page, 'geo', label).waitFor({ timeout: WAIT_MS })
}
