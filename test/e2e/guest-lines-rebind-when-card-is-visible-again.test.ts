/**
 * In Chromium: the team marks a card internal and then visible again (QA pass of 2026-12-06). The
 * guest's page loses the card and gets it back; the lines drawn to it, which stayed in the shared
 * document all along, are bound to it again on the guest's page (they stayed cut loose until a
 * reload), and the guest's page writes nothing of it.
 */
import type { JsonObject } from '@tldraw/utils'
import type { TLShapeId } from 'tldraw'
import { afterAll, expect, it } from 'vitest'
import { INTERNAL_META_KEY } from '../../shared/sensitivity.ts'
import { openPeople, shapeWithText, waitForBoard, waitUntil, WAIT_MS } from '../helpers/browser.ts'
import { setUpBrowserTest } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'
import { arrow, arrowBinding, stakeholder } from '../helpers/planBoards.ts'
import { onlyCustomerFacing, teamPage } from '../helpers/teamAndGuest.ts'

const e2e = setUpBrowserTest()
const json = (value: unknown) => value as JsonObject // test records are JSON
let team: Awaited<ReturnType<typeof teamPage>> | undefined

afterAll(() => team?.destroy())

it('binds the guest’s lines to a card again once the team makes it visible again', async () => {
  const workshop = await e2e.server.createWorkshop({ account: 'Northwind Logistics', title: 'Joint map' })
  await onlyCustomerFacing(e2e.server, workshop, 'stakeholders')
  team = await teamPage(e2e.server, workshop, 'stakeholders', 'Tom')
  await team.change([
    json(stakeholder('shape:ana', { x: 0, y: 0 }, { name: 'Ana Silva' })),
    json(stakeholder('shape:ben', { x: 0, y: 400 }, { name: 'Ben Okafor' })),
    json(arrow('shape:line', { x: 100, y: 400, meta: { relationship: 'reports_to' } })),
    json(arrowBinding('shape:line', 'shape:ben', 'start')),
    json(arrowBinding('shape:line', 'shape:ana', 'end')),
  ])
  const [carla] = await openPeople(e2e.browser, workshop.links.guest, ['Carla Customer'])
  if (!carla) throw new Error('openPeople returned no page')
  const guest = carla.page
  await waitForBoard(guest)
  await shapeWithText(guest, 'stakeholder', 'Ana Silva').waitFor({ timeout: WAIT_MS })
  await exposeEditor(guest)
  const lineEnds = () => guest.evaluate(() => window.testEditor.getBindingsFromShape('shape:line' as TLShapeId, 'arrow').map((binding) => binding.toId).sort())
  await waitUntil(async () => (await lineEnds()).length === 2, 'the guest’s line bound at both ends')

  const ana = () => team?.records().get('shape:ana') as JsonObject
  await team.change([{ ...ana(), meta: { ...(ana().meta as JsonObject), [INTERNAL_META_KEY]: true } }])
  await shapeWithText(guest, 'stakeholder', 'Ana Silva').waitFor({ state: 'detached', timeout: WAIT_MS })
  const { [INTERNAL_META_KEY]: _mark, ...visibleMeta } = ana().meta as JsonObject
  await team.change([{ ...ana(), meta: visibleMeta }])
  await shapeWithText(guest, 'stakeholder', 'Ana Silva').waitFor({ timeout: WAIT_MS })
  await waitUntil(async () => JSON.stringify(await lineEnds()) === JSON.stringify(['shape:ana', 'shape:ben']), 'the line bound to Ana again on the guest’s page')
  expect(await lineEnds()).toEqual(['shape:ana', 'shape:ben'])
})
