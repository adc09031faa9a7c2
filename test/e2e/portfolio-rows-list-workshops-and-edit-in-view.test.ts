/**
 * The portfolio's account rows (docs/accounts.md [K4]): each row shows how many workshops the
 * account has, and a button that lists them (links to each); the Edit button says whether its
 * form is open (aria-expanded), and the form opens in view with the focus on its first field,
 * giving it back to the button when cancelled. In Next workshop, each radio button and the
 * checkbox sit on their label's line.
 */
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { openPeople, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { TEST_ORG_KEY } from '../helpers/startServer.ts'

const e2e = setUpBrowserTest()
let page: Page
const ids: string[] = []

beforeAll(async () => {
  for (const title of ['Q1 planning', 'Q2 review']) ids.push((await e2e.server.createWorkshop({ account: 'Borealis Energy', title })).id)
  // Enough accounts that the editor, below the table, opens under a laptop screen's fold.
  for (const name of ['Atlas Freight', 'Cobalt Retail', 'Delta Mining', 'Epsilon Foods', 'Fjord Shipping', 'Granite Works', 'Helix Labs']) {
    await e2e.server.createWorkshop({ account: name, title: 'Kick-off' })
  }
  const context = await e2e.browser.newContext({ viewport: { width: 1280, height: 720 } })
  page = await context.newPage()
  page.on('pageerror', (error) => console.error('[portfolio] page error:', error))
  await page.goto(e2e.server.url)
  await page.getByLabel('Organisation key').fill(TEST_ORG_KEY)
  await page.getByRole('button', { name: 'Use this key' }).click()
  await page.locator('.portfolio-table tr[data-account="Helix Labs"]').waitFor({ timeout: WAIT_MS })
})

describe('portfolio rows', () => {
  it('every Edit button is clickable: the table does not run under the selection matrix (QA q27c)', async () => {
    // The table ran 15–35 px under the matrix at every width from 1024 px: clicks on an Edit button's right part hit the matrix.
    await page.setViewportSize({ width: 1024, height: 720 })
    const covered = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.portfolio-table button')].filter((button) => {
        button.scrollIntoView({ block: 'nearest', inline: 'nearest' })
        const box = button.getBoundingClientRect()
        const hit = document.elementFromPoint(box.right - 3, box.top + box.height / 2)
        return !(hit && button.contains(hit))
      }).map((button) => button.getAttribute('aria-label') ?? button.textContent),
    )
    await page.setViewportSize({ width: 1280, height: 720 })
    expect(covered).toEqual([])
  })

  it('show how many workshops an account has and list them with links', async () => {
    const toggle = page.getByRole('button', { name: '2 workshops of Borealis Energy' })
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('true')
    const list = page.locator(`#${await toggle.getAttribute('aria-controls')}`)
    await list.getByRole('link').nth(1).waitFor({ timeout: WAIT_MS })
    const links = await list.getByRole('link').evaluateAll((as) => as.map((a) => [a.textContent, new URL((a as HTMLAnchorElement).href).pathname]))
    expect(links).toEqual([
      ['Q2 review', `/w/${ids[1]}/swot`],
      ['Q1 planning', `/w/${ids[0]}/swot`],
    ])
    await toggle.click()
    expect(await list.count()).toBe(0)
  })

  it('open the account editor in view with the focus on its first field, and give it back on Cancel', async () => {
    await page.evaluate(() => window.scrollTo(0, 0))
    const edit = page.getByRole('button', { name: 'Edit Borealis Energy' })
    expect(await edit.getAttribute('aria-expanded')).toBe('false')
    await edit.focus()
    await page.keyboard.press('Enter')
    expect(await edit.getAttribute('aria-expanded')).toBe('true')
    const form = page.getByRole('form', { name: 'Edit Borealis Energy' })
    await form.waitFor({ timeout: WAIT_MS })
    expect(await edit.getAttribute('aria-controls')).toBe(await form.getAttribute('id'))
    await expect.poll(() => form.evaluate((f) => f.contains(document.activeElement) && document.activeElement !== f), { timeout: WAIT_MS }).toBe(true)
    const inView = await page.evaluate(() => {
      const box = document.activeElement?.getBoundingClientRect()
      return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight
    })
    expect(inView).toBe(true)
    await form.getByRole('button', { name: 'Cancel' }).click()
    expect(await edit.evaluate((el) => el === document.activeElement)).toBe(true)
    expect(await edit.getAttribute('aria-expanded')).toBe('false')
  })

  it('Next workshop: each radio button and the checkbox sit on their label’s line', async () => {
    const labels = page.locator('.next-workshop fieldset label')
    expect(await labels.count()).toBe(3)
    const lines = await labels.evaluateAll((all) =>
      all.map((label) => {
        const input = label.querySelector('input')?.getBoundingClientRect()
        const text = [...label.childNodes].find((n) => n.nodeType === Node.TEXT_NODE && n.textContent?.trim())
        const range = document.createRange()
        if (text) range.selectNodeContents(text)
        const words = range.getBoundingClientRect()
        return { text: text?.textContent?.trim(), sameLine: input !== undefined && Math.abs(input.top + input.height / 2 - (words.top + words.height / 2)) < words.height / 2, before: input !== undefined && input.right <= words.left }
      }),
    )
    expect(lines).toEqual([
      { text: 'From the last plan', sameLine: true, before: true },
      { text: 'Fresh start', sameLine: true, before: true },
      { text: 'Leave done actions out', sameLine: true, before: true },
    ])
  })

  it('renames an account in its editor; an open page of one of its workshops shows the new name at once', async () => {
    // QA pass of 2026-12-06: the README sends people to the portfolio to rename an account, and
    // its editor had no name.
    const [viewer] = await openPeople(e2e.browser, `${e2e.server.url}/w/${ids[0]}/swot`, ['Fiona'])
    if (!viewer) throw new Error('no page')
    await waitForBoard(viewer.page)
    await viewer.page.locator('.app-header').getByText('Borealis Energy').first().waitFor({ timeout: WAIT_MS })
    await page.getByRole('button', { name: 'Edit Borealis Energy' }).click()
    const form = page.getByRole('form', { name: 'Edit Borealis Energy' })
    await form.getByRole('textbox', { name: 'Name' }).fill('Borealis Power')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.locator('.portfolio-table tr[data-account="Borealis Power"]').waitFor({ timeout: WAIT_MS })
    await viewer.page.locator('.app-header').getByText('Borealis Power').first().waitFor({ timeout: WAIT_MS })
    await viewer.context.close()
  })

  it('archives an account from its editor and unarchives it from the archived list; an archived account takes no workshop from the lobby', async () => {
    // The API could archive an account; the portfolio had no way to, nor to see or bring back one.
    await page.getByRole('button', { name: 'Edit Granite Works' }).click()
    const editor = page.getByRole('form', { name: 'Edit Granite Works' })
    const archive = editor.getByRole('button', { name: 'Archive account' })
    // Review (twenty-sixth session): archiving closed the editor and dropped edits not yet saved, without a word.
    const segment = editor.getByRole('textbox', { name: 'Segment' })
    const before = await segment.inputValue()
    await segment.fill(`${before} (mining)`)
    expect(await archive.isDisabled()).toBe(true)
    expect(await editor.getByText('Save or cancel your changes to archive the account.').isVisible()).toBe(true)
    await segment.fill(before)
    expect(await archive.isDisabled()).toBe(false)
    expect(await editor.getByText('Save or cancel your changes to archive the account.').count()).toBe(0)
    await archive.click()
    await page.getByRole('status').filter({ hasText: 'Granite Works is archived' }).waitFor({ timeout: WAIT_MS })
    expect(await page.locator('.portfolio-table tr[data-account="Granite Works"]').count()).toBe(0)
    const toggle = page.getByRole('button', { name: 'Show archived accounts' })
    await expect.poll(() => toggle.evaluate((button) => button === document.activeElement), { timeout: WAIT_MS }).toBe(true)

    // The lobby's new workshop under its name is refused, saying why.
    await page.getByLabel('Account', { exact: true }).fill('granite works')
    await page.getByLabel('Workshop title').fill('Q3 review')
    await page.getByRole('button', { name: 'Create workshop' }).click()
    await page.getByText(/Granite Works is archived; unarchive it in the portfolio first/).waitFor({ timeout: WAIT_MS })
    expect(new URL(page.url()).pathname).toBe('/')

    await toggle.click()
    await page.getByRole('heading', { name: 'Archived accounts' }).waitFor({ timeout: WAIT_MS })
    const row = page.locator('.portfolio-table tr[data-account="Granite Works"]')
    await row.waitFor({ timeout: WAIT_MS })
    expect(await row.locator('td').nth(1).textContent()).toBe('1')
    await row.getByRole('button', { name: 'Unarchive Granite Works' }).click()
    await page.getByRole('status').filter({ hasText: 'Granite Works is back in the portfolio.' }).waitFor({ timeout: WAIT_MS })
    expect(await row.count()).toBe(0)
    await page.getByText('No archived accounts.').waitFor({ timeout: WAIT_MS })
    await page.getByRole('button', { name: 'Back to the portfolio' }).click()
    await page.locator('.portfolio-table tr[data-account="Granite Works"]').waitFor({ timeout: WAIT_MS })
  })
})
