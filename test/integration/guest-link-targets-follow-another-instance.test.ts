/**
 * [A42] on several instances (review of session 30): an objective marked internal by a team page on
 * instance B leaves a guest's link pickers on instance A too, within seconds, though A has no room
 * of the board loaded to drop its cached live plan (it kept the title for a minute).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { INTERNAL_META_KEY, resolveSensitivity } from '../../shared/sensitivity.ts'
import { connectSynced } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { objective } from '../helpers/planBoards.ts'
import { createWorkshop } from '../helpers/startServer.ts'

const cluster = useCluster()
const CANARY = 'CANARY-0bjective'

test("an item made internal on one instance leaves a guest's link targets on the other", async () => {
  const env = await cluster.env()
  const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)
  const share = await fetch(`${a.url}/api/workshops/${workshop.id}/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify({ customerFacing: { swot: true, stakeholders: true, objectives: true, actions: true, whitespace: true } }),
  })
  expect(share.status).toBe(200)
  const params = { token: workshop.tokens.team, user: 'user:tina' }
  const room = `${workshop.id}/objectives`
  const shared = await connectSynced(b.syncUrl, room, { params })
  const internal = await connectSynced(b.syncUrl, `${room}/internal`, { params })
  try {
    const source = mergedPartsSource(shared.doc, internal.doc, () => resolveSensitivity(undefined))
    const card = objective('shape:o1', { x: 0, y: 0 }, { objective: CANARY }) as unknown as JsonObject // test records are JSON
    source.write({ put: [card], remove: [] }, undefined)
    const guestOnA = async () => {
      const response = await fetch(`${a.url}/api/workshops/${workshop.id}/link-targets`, { headers: { authorization: `Bearer ${workshop.tokens.guest}` } })
      expect(response.status).toBe(200)
      return response.text()
    }
    await expect.poll(guestOnA, { timeout: 30_000 }).toContain(CANARY)
    source.write({ put: [{ ...card, meta: { [INTERNAL_META_KEY]: true } }], remove: [] }, undefined)
    await expect.poll(guestOnA, { timeout: 20_000 }).not.toContain(CANARY)
  } finally {
    shared.destroy()
    internal.destroy()
  }
}, CLUSTER_TEST_TIMEOUT_MS)
