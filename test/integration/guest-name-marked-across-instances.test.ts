/**
 * [A44] A guest's name is marked as a guest's in a snapshot taken on another instance than the
 * guest's: the instance that admitted the guest stamps its awareness state, and the stamp travels
 * with the state to the other instances (Redis), where the snapshot reads it. A team member's name
 * read through another instance stays as it is.
 */
import { expect, test } from 'vitest'
import { participantNames } from '../../server/snapshot/participants.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { createWorkshop, takeSnapshot } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()

test("a snapshot taken on instance A names a guest connected to instance B as a guest's [A44]", async () => {
  const env = await cluster.env()
  const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'swot')
  const room = `${workshop.id}/swot`
  const tina = await connectSynced(a.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tina' } })
  const tom = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team, user: 'user:tom' } })
  const fiona = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:fiona' } })
  tina.provider.awareness.setLocalStateField('presence', { userId: 'user:tina', userName: 'Tina Team' })
  tom.provider.awareness.setLocalStateField('presence', { userId: 'user:tom', userName: 'Tom Team' })
  fiona.provider.awareness.setLocalState({ presence: { userId: 'user:fiona', userName: 'Fiona Facilitator' }, keyplanGuest: false })
  // Everyone's presence has reached instance A (Tina's page hears it from there).
  await waitFor(() => {
    const names = [...tina.provider.awareness.getStates().values()].map((state) => (state.presence as { userName?: string } | undefined)?.userName)
    return names.includes('Tom Team') && names.includes('Fiona Facilitator')
  }, 'both names from instance B to reach instance A', 30_000)
  expect([...(await takeSnapshot(a, workshop.id)).participants].sort()).toEqual(['Fiona Facilitator (guest)', 'Tina Team', 'Tom Team'])
  // What Tina's page hears of the guest is stamped too, and reads the same way.
  expect(participantNames(tina.provider.awareness).sort()).toEqual(['Fiona Facilitator (guest)', 'Tina Team', 'Tom Team'])
  fiona.destroy()
  tom.destroy()
  tina.destroy()
}, CLUSTER_TEST_TIMEOUT_MS)
