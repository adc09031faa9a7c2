/**
 * Issue 13 test helpers: the stakeholder map's two documents as the server's loaded rooms hold
 * them, one card's value in each, and the facilitator's change of sensitivities.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect } from 'vitest'
import * as Y from 'yjs'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
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

/** The facilitator sets the workshop's field sensitivities (`PUT /sensitivity`); expects 200. */
export async function setSensitivity(server: Pick<TestServer, 'url'>, workshop: TestWorkshop, fields: Record<string, string>): Promise<void> {
  const response = await fetch(`${server.url}/api/workshops/${workshop.id}/sensitivity`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })
  expect(response.status).toBe(200)
}
