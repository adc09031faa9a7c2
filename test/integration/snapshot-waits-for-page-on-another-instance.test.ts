/**
 * [S42] with several instances ([I1]: no sticky sessions, so a page's websocket and its REST
 * request may reach different instances): a page on instance A changes a status and deletes an
 * action while its edits are held back, and saves through instance B. B waits until it holds the
 * page's edits — from the stored rows when nobody is on the board at B, through its own loaded room
 * (fed by Redis) when somebody is — and the snapshot holds them.
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { seenVersions } from '../../client/board/seenVersions.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import type { ChildServer } from '../helpers/childServer.ts'
import { connectSynced } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { action } from '../helpers/planBoards.ts'
import { openPage, stillPending } from '../helpers/savingPage.ts'
import { createWorkshop, facilitatorToken } from '../helpers/startServer.ts'

const cluster = useCluster()
const HELD_MS = 500

function post(server: ChildServer, workshopId: string, body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/workshops/${workshopId}/snapshots`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${facilitatorToken(workshopId)}` },
    body: JSON.stringify(body),
  })
}

test(
  '[S42][I1] a snapshot taken through another instance waits for the page\'s edits, read from storage or from its own room',
  async () => {
    const env = await cluster.env()
    const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
    const workshopId = (await createWorkshop(a.url)).id
    const page = await openPage(a.syncUrl, workshopId, 'actions')
    try {
      page.write([action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal', status: 'open' }), action('shape:a2', { x: 20, y: 300 }, { title: 'Book exec meeting' })] as unknown as JsonObject[]) // tldraw records are JSON
      const first = await post(b, workshopId, { seen: seenVersions(workshopId) })
      expect(first.status).toBe(201)
      expect(PlanRecordSchema.parse(await first.json()).actions.map((x) => x.title).sort()).toEqual(['Book exec meeting', 'Send proposal'])

      // Nobody on the board at B: B reads the stored rows.
      page.offline(true)
      const a1 = page.records().get('shape:a1') as JsonObject
      page.write([{ ...a1, props: { ...(a1.props as JsonObject), status: 'done' } }])
      const fromStorage = post(b, workshopId, { seen: seenVersions(workshopId) })
      expect(await stillPending(fromStorage, HELD_MS)).toBe(true)
      page.offline(false)
      const stored = await fromStorage
      expect(stored.status).toBe(201)
      expect(PlanRecordSchema.parse(await stored.json()).actions.find((x) => x.title === 'Send proposal')?.status).toBe('done')

      // Somebody on the board at B: B's own room hears A's rows through Redis.
      const viewer = await connectSynced(b.syncUrl, `${workshopId}/actions`)
      try {
        page.offline(true)
        page.write([], ['shape:a2'])
        const fromRoom = post(b, workshopId, { seen: seenVersions(workshopId) })
        expect(await stillPending(fromRoom, HELD_MS)).toBe(true)
        page.offline(false)
        const live = await fromRoom
        expect(live.status).toBe(201)
        expect(PlanRecordSchema.parse(await live.json()).actions.map((x) => x.title)).toEqual(['Send proposal'])
      } finally {
        viewer.destroy()
      }
    } finally {
      page.close()
    }
  },
  CLUSTER_TEST_TIMEOUT_MS,
)
