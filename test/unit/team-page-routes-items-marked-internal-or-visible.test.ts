/**
 * Issue 13 ([A31], [A35]): the team page's routing (`mergedPartsSource`) moves an item between a
 * board's documents when it is marked internal or visible, at once: marked visible it leaves the
 * internal document for the shared one (before, it stayed internal until the board next loaded), and
 * a card's internal fields go with it as overlay entries, even where one equals the card's value.
 * The page writes only where the item goes; the old copy is removed by the server's move
 * (`rebalanceParts`, run here on the two documents as the shared room runs it), never by the page.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import * as Y from 'yjs'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { rebalanceParts } from '../../server/sync/rebalanceParts.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { INTERNAL_META_KEY, resolveSensitivity } from '../../shared/sensitivity.ts'
import { stakeholder } from '../helpers/planBoards.ts'

const card = (internal: boolean) =>
  stakeholder('shape:ana', { x: 0, y: 0, meta: { [INTERNAL_META_KEY]: internal } }, { name: 'Ana', attitude: 'blocker', notes: 'our read' }) as unknown as JsonObject // test records are JSON

test('a card marked internal moves to the internal document, and back with its internal fields when marked visible', async () => {
  const shared = new Y.Doc()
  const internal = new Y.Doc()
  const page = mergedPartsSource(shared, internal, () => resolveSensitivity(undefined))
  const serverMoves = () => rebalanceParts({ doc: shared, whenDurable: async () => {} }, { doc: internal, whenDurable: async () => {} }, resolveSensitivity(undefined), 'server')
  page.write({ put: [card(false)], remove: [] }, 'page')
  expect(readRecords(shared).has('shape:ana')).toBe(true)
  expect(readOverlays(internal).get('shape:ana')?.get('props.attitude')).toBe('blocker')

  page.write({ put: [card(true)], remove: [] }, 'page')
  // The page leaves the shared copy: a refused or late internal write must not lose the card.
  expect(readRecords(shared).has('shape:ana')).toBe(true)
  expect(page.readAll().get('shape:ana')?.meta).toMatchObject({ [INTERNAL_META_KEY]: true })
  await serverMoves()
  expect(readRecords(shared).has('shape:ana')).toBe(false)
  expect(readRecords(internal).get('shape:ana')?.props).toMatchObject({ attitude: 'blocker', notes: 'our read' })
  // An edit of the internal card writes one field over its base.
  const edited = { ...card(true), props: { ...(card(true).props as JsonObject), attitude: 'supporter' } }
  page.write({ put: [edited], remove: [] }, 'page')

  page.write({ put: [{ ...edited, meta: { [INTERNAL_META_KEY]: false } }], remove: [] }, 'page')
  // The page leaves the internal copy, no longer internal: the server splits it.
  expect(readRecords(internal).get('shape:ana')?.meta).toMatchObject({ [INTERNAL_META_KEY]: false })
  expect(page.readAll().get('shape:ana')?.props).toMatchObject({ attitude: 'supporter' })
  await serverMoves()
  expect(readRecords(internal).has('shape:ana')).toBe(false)
  expect((readRecords(shared).get('shape:ana')?.props as JsonObject).attitude).toBe('neutral')
  expect(readOverlays(internal).get('shape:ana')?.get('props.attitude')).toBe('supporter')
  expect(page.readAll().get('shape:ana')?.props).toMatchObject({ name: 'Ana', attitude: 'supporter', notes: 'our read' })
})
