import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'

/** Debian's Chromium (installed by `.ci/run`); tests never download browsers. */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

const CHROMIUM_ARGS = [
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

/** One person in a test: their own browser context (own storage, own network) and page. */
export interface Person {
  context: BrowserContext
  page: Page
  name: string
}

/**
 * Opens a fresh context per person (isolated localStorage and IndexedDB, like two laptops) and
 * a page each at `url` with `?name=` set, so no name prompt appears.
 */
export async function openPeople(browser: Browser, url: string, names: readonly string[]): Promise<Person[]> {
  const people: Person[] = []
  for (const name of names) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } })
    const page = await context.newPage()
    page.on('pageerror', (error) => console.error(`[${name}] page error:`, error))
    const separator = url.includes('?') ? '&' : '?'
    await page.goto(`${url}${separator}name=${encodeURIComponent(name)}`)
    people.push({ context, page, name })
  }
  return people
}
