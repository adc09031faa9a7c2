/**
 * QA q36b, through the real server: a stakeholder card a guest adds on a shared stakeholder map
 * holds influence and attitude null (not assessed) in the shared part, which tells nothing and is
 * stored, not refused as an internal field ([A31]). The team's new card holds the stand-ins there
 * and its null in the internal part; the team's plan reads both people as not assessed, and the
 * team's judgement stays internal: the guest never receives it.
 */
import type { JsonObject } from '@tldraw/utils'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { CREATOR_META_KEY, creatorStamp, type BoardEditor } from '../../shared/recordRights.ts'
import { openBoard } from '../helpers/boardClients.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startServer, takeSnapshot, type TestServer } from '../helpers/startServer.ts'
import { heard, onlyCustomerFacing, recordingGuest, storedBoard } from '../helpers/teamAndGuest.ts'

const GAIL_KEY = 'gail-browser-secret-0123456789'
const gail: BoardEditor = { role: 'guest', userId: 'user:gail', keyId: participantKeyId(GAIL_KEY) }

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test('a guest adds an unassessed person; the team judges its own; neither reads Medium or Neutral, and the guest never hears the judgement', async () => {
  const workshop = await server.createWorkshop()
  await onlyCustomerFacing(server, workshop, 'stakeholders')
  const listener = await recordingGuest(server, workshop, 'stakeholders')
  const guest = await connectSynced(server.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: gail.userId, key: GAIL_KEY }, shouldReconnect: () => false })
  const closes: number[] = []
  guest.provider.on('connection-close', (event) => closes.push(event?.code ?? -1))
  const guestCard = stakeholder('shape:gail-card', { x: 0, y: 0 }, { name: 'Gail Guest' }) as unknown as JsonObject // tldraw records are JSON
  writeRecordChanges(guest.doc, { put: [{ ...guestCard, meta: { [CREATOR_META_KEY]: creatorStamp(gail) } }], remove: [] })

  const team = await openBoard(server, workshop.id, 'stakeholders', 'Tina')
  try {
    for (let i = 0; i < 200 && !(await storedBoard(server, workshop, 'stakeholders')).has('shape:gail-card'); i++) await new Promise((resolve) => setTimeout(resolve, 50))
    expect((await storedBoard(server, workshop, 'stakeholders')).get('shape:gail-card')?.props).toMatchObject({ influence: null, attitude: null })
    expect(closes).toEqual([])
    expect(readRecords(guest.doc).get('shape:gail-card')?.props).toMatchObject({ influence: null, attitude: null })

    await team.write([stakeholder('shape:team-card', { x: 400, y: 0 }, { name: 'Nora New' })])
    const snapshot = () => takeSnapshot(server, workshop.id)
    const first = await snapshot()
    for (const id of ['shape:gail-card', 'shape:team-card']) expect(first.stakeholders.find((s) => s.id === id)).toMatchObject({ influence: null, attitude: null })

    // The team's judgement of the new person goes to the internal part.
    await team.write([stakeholder('shape:team-card', { x: 400, y: 0 }, { name: 'Nora New', influence: 'high', attitude: 'skeptic' })])
    const second = await snapshot()
    expect(second.stakeholders.find((s) => s.id === 'shape:team-card')).toMatchObject({ influence: 'high', attitude: 'skeptic' })
    await waitFor(() => heard(listener).includes('Nora New'), 'the guest to hear the team card')
    expect(heard(listener)).not.toContain('skeptic')
    expect(readRecords(guest.doc).get('shape:team-card')?.props).toMatchObject({ influence: 'medium', attitude: 'neutral' })

    // The team judges the guest's person: the guest's part of the card does not change at all (its
    // null turned into the stand-ins would tell the guest the team judged them).
    const heardBefore = listener.received.length
    await waitFor(() => team.records().has('shape:gail-card'), 'the team to see the guest card')
    const seen = team.records().get('shape:gail-card') as JsonObject // waited for just above
    await team.write([{ ...seen, props: { ...(seen.props as JsonObject), influence: 'low', attitude: 'blocker' } }])
    const third = await snapshot()
    expect(third.stakeholders.find((s) => s.id === 'shape:gail-card')).toMatchObject({ name: 'Gail Guest', influence: 'low', attitude: 'blocker' })
    expect((await storedBoard(server, workshop, 'stakeholders')).get('shape:gail-card')?.props).toMatchObject({ influence: 'low', attitude: 'blocker' })
    expect(readRecords(guest.doc).get('shape:gail-card')?.props).toMatchObject({ influence: null, attitude: null })
    const after = Buffer.concat(listener.received.slice(heardBefore).map((frame) => Buffer.from(frame))).toString('latin1')
    expect(after).not.toContain('blocker')
    expect(after).not.toContain('medium')
  } finally {
    team.destroy()
    guest.destroy()
    listener.ws.close()
  }
})
