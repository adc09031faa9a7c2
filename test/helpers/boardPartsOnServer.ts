/**
 * Issue 13 test helpers: the stakeholder map's two documents as the server's loaded rooms hold
 * them, one card's value in each, and the facilitator's change of sensitivities.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { resolveSensitivity, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { connectSynced } from './clients.ts'
import { stakeholder } from './planBoards.ts'
import type { TestServer, TestWorkshop } from './startServer.ts'

/** The loaded rooms' documents of the workshop's stakeholder map (empty documents while unloaded). */
export function stakeholderDocs(server: TestServer, workshop: TestWorkshop): { shared: Y.Doc; internal: Y.Doc } {
  const room = `${workshop.id}/stakeholders`
  return { shared: server.server.rooms.get(room)?.doc ?? new Y.Doc(), internal: server.server.rooms.get(`${room}/internal`)?.doc ?? new Y.Doc() }
}

/** The stakeholder card `shape:anna`, named Anna, with `props`. */
export const anna = (props: Record<string, string>) => stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', ...props }) as unknown as JsonObject // test records are JSON

/** A prop of `shape:anna` as `doc` holds the record. */
export const annaProp = (doc: Y.Doc, prop: string) => (readRecords(doc).get('shape:anna')?.props as JsonObject | undefined)?.[prop]

/** The overlay entry of `shape:anna`'s prop in an internal document. */
export const annaOverlay = (doc: Y.Doc, prop: string) => readOverlays(doc).get('shape:anna')?.get(`props.${prop}`)

/**
 * The facilitator sets the workshop's field sensitivities to `fields` over the defaults, every other
 * field back at its default (`PUT /sensitivity` naming every field); expects 200.
 */
export async function setSensitivity(server: Pick<TestServer, 'url'>, workshop: TestWorkshop, fields: SensitivityOverrides): Promise<void> {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields: resolveSensitivity(fields) }),
  })
  expect(response.status).toBe(200)
}

/**
 * A team member's page on both documents of the stakeholder map (at `syncUrl`), writing through
 * the page's own routing by the default sensitivity, as before a change's push reaches it ([A37]).
 * `closes` collects the close codes of its two sockets.
 */
export async function stalePage(syncUrl: string, workshop: TestWorkshop) {
  const params = { token: workshop.tokens.team, user: 'user:tina', key: 'tina-browser-secret-0123456789' }
  const room = `${workshop.id}/stakeholders`
  const shared = await connectSynced(syncUrl, room, { params })
  const internal = await connectSynced(syncUrl, `${room}/internal`, { params })
  const closes: number[] = []
  for (const client of [shared, internal]) client.provider.on('connection-close', (event) => closes.push(event?.code ?? -1))
  const source = mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined))
  return {
    shared,
    internal,
    closes,
    write: (record: JsonObject) => source.write({ put: [record], remove: [] }, undefined),
    destroy() {
      internal.destroy()
      shared.destroy()
    },
  }
}
