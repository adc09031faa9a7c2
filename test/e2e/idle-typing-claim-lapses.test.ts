/**
 * QA q33a finding 5: a peer's presence said it was typing into a card's Name (`since: 1`, renewed
 * every few seconds) and the team's page kept the field read-only for as long as the peer liked.
 * A claim that nothing follows (no change of the field's value) lapses on every other page, and a
 * claim that arrives while someone types there does not take the field from them, whatever `since`
 * it says (docs/decisions/006-concurrent-text.md, "Claims that lapse").
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Page } from 'playwright-core'
import { openBoard, type BoardClient } from '../helpers/boardClients.ts'
import { connectSynced, type TestClient } from '../helpers/clients.ts'
import { clickShape, openPeople, shapeWithText, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { CLAIM_LAPSE_MS, CLAIM_RACE_MS } from '../../client/board/fieldLocks.ts'

const e2e = setUpBrowserTest()
let board: BoardClient
let page: Page
let room: string
let token: string
const claimers: Array<{ client: TestClient; timer: ReturnType<typeof setInterval> }> = []

/** A peer whose presence claims Anna's Name from the dawn of time, renewed every 2 s, and never types. */
async function claimName(name: string): Promise<void> {
  const client = await connectSynced(e2e.server.syncUrl, room, { params: { token, user: `user:${name.toLowerCase()}` } })
  const publish = () =>
    client.provider.awareness.setLocalStateField('presence', { userId: `user:${name.toLowerCase()}`, userName: name, color: '#ff0000', page: 'page', at: Date.now(), editing: { shape: 'anna', field: 'name', since: 1 } })
  publish()
  claimers.push({ client, timer: setInterval(publish, 2_000) })
}

beforeAll(async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind', title: 'FY27 plan' })
  room = `${workshop.id}/stakeholders`
  token = workshop.tokens.team
  board = await openBoard(e2e.server, workshop.id, 'stakeholders', 'Ada')
  await board.write([stakeholder('shape:anna', { x: 40, y: 40 }, { name: 'Anna' })])
  const [tom] = await openPeople(e2e.browser, `${e2e.server.url}/w/${workshop.id}/stakeholders`, ['Tom Team'])
  if (!tom) throw new Error('no page')
  page = tom.page
  await waitForBoard(page)
})

afterAll(() => {
  for (const { client, timer } of claimers) {
    clearInterval(timer)
    client.destroy()
  }
  board?.destroy()
})

it('lets a claim that nothing follows lapse, and a later one never takes the field from a typist', { timeout: CLAIM_LAPSE_MS + 4 * WAIT_MS }, async () => {
  await clickShape(page, shapeWithText(page, 'stakeholder', 'Anna'))
  const name = page.locator('.inspector').getByLabel('Name', { exact: true })
  await claimName('Eve')
  const notice = page.locator('.inspector .field-typing')
  await notice.waitFor({ timeout: WAIT_MS })
  expect(await notice.innerText()).toBe('Eve is typing here…')
  expect(await name.evaluate((input: HTMLInputElement) => input.readOnly)).toBe(true)

  // Eve's page never changes the value: her claim lapses, however often it is renewed.
  await waitUntil(async () => !(await name.evaluate((input: HTMLInputElement) => input.readOnly)), 'the claim lapses')
  expect(await notice.count()).toBe(0)
  await name.click()
  await name.press('End')
  await name.pressSequentially(' Z', { delay: 50 })
  await waitUntil(async () => (await name.inputValue()) === 'Anna Z', 'Tom types')

  // Another claim of the same field arrives while Tom types: `since: 1` says it started first, but
  // this page first saw it well after Tom started, so Tom keeps the field and goes on typing.
  await page.waitForTimeout(CLAIM_RACE_MS + 500)
  await claimName('Mallory')
  // Time for the claim to reach the page (the page shows nothing of it when all goes right).
  await page.waitForTimeout(2_000)
  await name.pressSequentially('Z', { delay: 50 })
  await waitUntil(async () => (await name.inputValue()) === 'Anna ZZ', 'Tom goes on typing')
  expect(await name.evaluate((input: HTMLInputElement) => input.readOnly)).toBe(false)
})
