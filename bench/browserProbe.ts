import type { Browser, BrowserContext, Page } from 'playwright-core'
import { openBoard, type BoardClient } from '../test/helpers/boardClients.ts'
import { exposeEditor } from '../test/helpers/pageEditor.ts'
import { facilitatorToken, type TestServer } from '../test/helpers/startServer.ts'

/**
 * What the browser bench records inside a page, the same way for every candidate (Keyplan's app,
 * tldraw's `useSync` page): installed before the page's own scripts run.
 * - `messages`: every websocket message the page receives, as [time, size, first byte] (size:
 *   bytes of a binary message, characters of a text one: JSON, so bytes for ASCII; first byte of
 *   a binary message, which for y-websocket is the message type: 0 sync, 1 awareness; -1 for text).
 * - `tasks`: long tasks (the browser reports tasks of 50 ms and more), as [start, duration].
 * - `applies`: end times of the store's `mergeRemoteChanges` calls (after {@link watchApplies}).
 * - `drawnAt`: the first frame in which the page shows at least `expectShapes` tldraw shapes
 *   (`.tl-shape` elements; tldraw keeps off-screen shapes in the DOM, hidden).
 */
export interface Probe {
  messages: Array<[number, number, number]>
  tasks: Array<[number, number]>
  applies: number[]
  drawnAt: number | null
}

declare global {
  interface Window {
    probe: Probe
  }
}

/** Installs the probe in every page of `context`; `expectShapes` > 0 also watches for `drawnAt`. */
export async function installProbe(context: BrowserContext, expectShapes = 0): Promise<void> {
  // A string, not a function: the bench runs under tsx, whose helpers (`__name`) the page lacks.
  await context.addInitScript(`(${PROBE_SOURCE})(${JSON.stringify(expectShapes)})`)
}

/** The probe as plain browser JavaScript (see {@link Probe}). */
const PROBE_SOURCE = `function (expect) {
  const probe = { messages: [], tasks: [], applies: [], drawnAt: null }
  window.probe = probe
  const Native = window.WebSocket
  // Listening first, from the constructor: the time is when the message task starts.
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols)
      this.addEventListener('message', (event) => {
        const data = event.data
        const size = typeof data === 'string' ? data.length : data instanceof ArrayBuffer ? data.byteLength : data instanceof Blob ? data.size : 0
        const first = data instanceof ArrayBuffer && data.byteLength > 0 ? new Uint8Array(data, 0, 1)[0] : -1
        probe.messages.push([performance.now(), size, first])
      })
    }
  }
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) probe.tasks.push([entry.startTime, entry.duration])
  }).observe({ type: 'longtask', buffered: true })
  if (expect > 0) {
    const check = () => {
      if (document.querySelectorAll('.tl-shape').length >= expect) probe.drawnAt = performance.now()
      else requestAnimationFrame(check)
    }
    requestAnimationFrame(check)
  }
}`

/** Finds the page's tldraw editor (`window.testEditor`) and records each remote merge's end time. */
export async function watchApplies(page: Page): Promise<void> {
  await exposeEditor(page)
  await page.evaluate(() => {
    const store = window.testEditor.store
    const merge = store.mergeRemoteChanges.bind(store)
    store.mergeRemoteChanges = (fn: () => void) => {
      merge(fn)
      window.probe.applies.push(performance.now())
    }
  })
}

/** How a page took in one remote change. */
export interface Taken {
  /** From the first websocket message after the trigger to the end of the last merge or long task. */
  totalMs: number
  /** The longest task in that time; 0 when no task took 50 ms or more. */
  longestTaskMs: number
  messages: number
  bytes: number
  /** The store's `mergeRemoteChanges` calls in that time (0 for a page without {@link watchApplies}). */
  merges: number
  /** The tasks of 50 ms or more in that time, as [start after the first message, duration]. */
  longTasks: Array<[number, number]>
}

/** What the page's store must show once a change is in: these records present (at `x`) or gone. */
export interface Expect {
  ids: string[]
  present: boolean
  /** With `present`: each record's `x`, in the order of `ids`. */
  x?: number[]
}

/**
 * Runs `trigger` (a remote change made elsewhere), waits until the page's store shows `expect`
 * (checked every frame), and reports how the page took it in.
 */
export async function takeIn(page: Page, trigger: () => Promise<void>, expect: Expect, timeout = 120_000): Promise<Taken> {
  const mark = await page.evaluate(() => ({ messages: window.probe.messages.length, tasks: window.probe.tasks.length, applies: window.probe.applies.length }))
  await trigger()
  await page.waitForFunction(
    ({ ids, present, x }) => {
      const store = window.testEditor.store
      type Id = Parameters<typeof store.get>[0]
      return ids.every((id, i) => {
        const record = store.get(id as Id) as { x?: number } | undefined // an id of the bench's records
        if (!present) return record === undefined
        return record !== undefined && (x === undefined || record.x === x[i])
      })
    },
    expect,
    { polling: 'raf', timeout },
  )
  // Long-task entries arrive after their task; give the last ones time to be reported.
  await page.waitForTimeout(300)
  return page.evaluate((m) => {
    const { messages, tasks, applies } = window.probe
    const received = messages.slice(m.messages)
    const start = received[0]?.[0] ?? Number.NaN
    const newTasks = tasks.slice(m.tasks).filter(([at]) => at + 1 >= start)
    const lastApply = applies.slice(m.applies).at(-1) ?? start
    const lastTaskEnd = Math.max(start, ...newTasks.map(([at, duration]) => at + duration))
    return {
      totalMs: Math.max(lastApply, lastTaskEnd) - start,
      longestTaskMs: Math.max(0, ...newTasks.map(([, duration]) => duration)),
      messages: received.length,
      bytes: received.reduce((sum, [, size]) => sum + size, 0),
      merges: applies.length - m.applies,
      longTasks: newTasks.map(([at, duration]): [number, number] => [at - start, duration]),
    }
  }, mark)
}

/**
 * The batch scenario's two sides for Keyplan alone (the profiling and tracing tools): a writer
 * client on a new workshop's SWOT board, and a facilitator's page showing it, probed
 * ({@link installProbe}, {@link watchApplies}), its camera at the origin.
 */
export async function openWatchedBoard(server: TestServer, browser: Browser, title: string): Promise<{ writer: BoardClient; context: BrowserContext; page: Page }> {
  const workshop = await server.createWorkshop({ account: 'Bench Corp', title })
  const writer = await openBoard(server, workshop.id, 'swot', 'Bench Writer')
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
  await installProbe(context)
  const page = await context.newPage()
  const url = new URL(`${server.url}/w/${workshop.id}/swot`)
  url.searchParams.set('name', 'Vera Viewer')
  url.searchParams.set('token', facilitatorToken(workshop.id) ?? '')
  page.on('pageerror', (error) => console.error('page error:', error))
  await page.goto(url.toString())
  await page.locator('.tl-canvas').waitFor({ timeout: 60_000 })
  await watchApplies(page)
  await page.evaluate(() => {
    window.testEditor.setCamera({ x: 0, y: 0, z: 1 }) // returns the editor, which cannot come back to Node
  })
  return { writer, context, page }
}
