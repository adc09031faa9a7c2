/**
 * QA q33b: at 100 % zoom a whitespace cell cut its money short: "333,333.33 · 33.3 %" showed as
 * "333,333.33 · 33.3…" (the probability lost) and a large value ended in "…"; a competitor's cell
 * never showed the revenue typed into it. Each part of a cell's main line now shows whole, on a
 * line of its own when they do not fit on one.
 */
import { expect, it } from 'vitest'
import { openPeople, sidePanel, waitForBoard, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'

const e2e = setUpBrowserTest()

it('shows every amount and probability on a whitespace cell whole, and a competitor cell its revenue', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Whitespace' })
  const [ada] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/whitespace`, ['Ada Analyst'])
  if (!ada) throw new Error('no page')
  const { page } = ada
  await waitForBoard(page)
  const toolbar = page.getByRole('toolbar', { name: 'Board tools' })
  const panel = sidePanel(page)
  const cells = page.locator('.tl-shape[data-shape-type="whitespace"]')
  const entered: { kind: string; fields: [RegExp, string][] }[] = [
    { kind: 'Open opportunity', fields: [[/^Estimated value/, '333333.33'], [/^Probability/, '33.3']] },
    { kind: 'Open opportunity', fields: [[/^Estimated value/, '9999999999999'], [/^Probability/, '5']] },
    { kind: 'Competitor supplies', fields: [[/^Competitor/, 'Globex AG'], [/^Their revenue/, '800000.5']] },
  ]
  for (const [index, cell] of entered.entries()) {
    await toolbar.getByRole('button', { name: 'Add cell' }).click()
    await cells.nth(index).waitFor({ timeout: WAIT_MS })
    await panel.getByRole('combobox', { name: /^Kind/ }).selectOption({ label: cell.kind })
    for (const [label, text] of cell.fields) await panel.getByRole('textbox', { name: label }).fill(text)
    await page.keyboard.press('Escape')
    await page.keyboard.press('Escape')
  }
  // The texts each cell shows, and whether any of them is cut (wider than the room it has).
  const faces = async () =>
    cells.evaluateAll((elements) =>
      elements.map((cell) => {
        const bounds = cell.getBoundingClientRect()
        const line = cell.querySelector<HTMLElement>('.kp-card-name')
        const parts = [line, ...cell.querySelectorAll<HTMLElement>('.kp-card-name > .kp-part')].filter((part) => part !== null)
        return {
          // Its parts, or (one piece of text) the line itself.
          text: parts.length > 1 ? parts.slice(1).map((part) => part.textContent).join(' · ') : (line?.textContent ?? '').replace(/\s+/gu, ' ').trim(),
          cut: parts.some((part) => part.scrollWidth > part.clientWidth + 1 || part.getBoundingClientRect().right > bounds.right + 0.5),
        }
      }),
    )
  await expect.poll(async () => (await faces()).map((face) => face.text).sort(), { timeout: WAIT_MS }).toEqual([
    '333,333.33 · 33.3 %',
    '9,999,999,999,999 · 5 %',
    'Globex AG · 800,000.50',
  ])
  expect((await faces()).map((face) => face.cut)).toEqual([false, false, false])
})
