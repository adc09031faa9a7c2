/**
 * docs/server-rules.md [S37] with docs/security.md [A24][A35][A37], issues 13 and 17: what other
 * instances wrote around a change of field sensitivities never reaches a guest once the field is
 * internal.
 *
 * - A server change planned by the sensitivity before the change (a snapshot restore on an
 *   instance that has not heard of it) is refused by the store's fence and judged again; its
 *   values internal now are moved before it is stored or relayed, so a guest connected meanwhile
 *   never receives them. Fails on code that appended the refused rows again as they were and
 *   moved the values after (the guest received the restored value, then saw it leave).
 * - The instance storing the change catches its loaded boards up with the log before it moves
 *   them and marks them balanced: a row another instance stored before the change (and died
 *   before publishing) is moved too, not left under the marker for a later load to trust. Fails
 *   without the catch-up in the sensitivity route.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { anna, annaOverlay, annaProp, setSensitivity, stalePage } from '../helpers/boardPartsOnServer.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { createWorkshop, tempDataDir, type TestWorkshop } from '../helpers/startServer.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()
const HOLD = './test/helpers/holdSensitivityEvents.ts'
const KILL = './test/helpers/killAfterCommit.ts'

/** `POST` to the workshop's API at `url` as the facilitator; the parsed JSON answer. */
async function asFacilitator(url: string, workshop: TestWorkshop, route: string, body: unknown): Promise<unknown> {
  const response = await fetch(`${url}/api/workshops/${workshop.id}${route}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(60_000),
  })
  expect(response.ok).toBe(true)
  return response.json()
}

test(
  'a restore planned by the sensitivity before a change, on an instance that had not heard of it, never relays a value internal now to a guest [S37][A35][A24]',
  async () => {
    const CANARY = 'CANARY-restore-race-4d2'
    const dir = tempDataDir()
    const hold = path.join(dir, 'hold-sensitivity')
    const env = await cluster.env()
    const a = await cluster.start(env)
    const b = await cluster.start({ ...env, KEYPLAN_TEST_HOLD_SENSITIVITY: hold }, { imports: [HOLD] })
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    // A team page on B (its rooms loaded, judging by the defaults: department visible).
    const page = await stalePage(b.syncUrl, workshop)

    // A snapshot holds Anna's department while it is visible.
    page.write(anna({ department: CANARY }))
    await waitFor(() => annaProp(page.shared.doc, 'department') === CANARY, 'the card on the page')
    const other = await connectSynced(a.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.team } })
    await waitFor(() => annaProp(other.doc, 'department') === CANARY, 'the card to reach A')
    const snapshot = PlanRecordSchema.parse(await asFacilitator(a.url, workshop, '/snapshots', {}))
    // Then the card is deleted: the board holds Anna's department nowhere.
    mergedPartsSource(page.shared.doc, page.internal.doc, () => resolveSensitivity(undefined)).write({ put: [], remove: ['shape:anna'] }, undefined)
    await waitFor(() => !readRecords(other.doc).has('shape:anna'), 'the deletion to reach A')

    // Department turns internal through A (moved there); B does not hear of it by event.
    fs.writeFileSync(hold, '')
    await setSensitivity(a, workshop, { 'stakeholder.department': 'internal' })
    const guest = await recordingGuest(b, workshop, 'stakeholders')
    await drained(guest)

    // B restores the snapshot, split by the sensitivity it knows: the store refuses it as judged by
    // an older one; B reads the stored one and judges it again.
    await asFacilitator(b.url, workshop, `/snapshots/${snapshot.id}/restore`, { board: 'stakeholders' })
    await waitFor(() => annaOverlay(page.internal.doc, 'department') === CANARY, 'the restored value in the internal document', 30_000)
    await drained(guest)
    expect(heard(guest)).toContain('Anna')
    expect(heard(guest)).not.toContain(CANARY)
    expect(annaProp(page.shared.doc, 'department')).toBe('')
    expect(fs.existsSync(hold)).toBe(true)

    guest.ws.close()
    other.destroy()
    page.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'the instance storing a sensitivity change moves rows another instance stored before it and never published, before it marks the board balanced [S37][A35][A24]',
  async () => {
    const CANARY = 'CANARY-unpublished-row-7a9'
    const dir = tempDataDir()
    const arm = path.join(dir, 'kill-after-commit-of')
    const env = await cluster.env()
    const a = await cluster.start({ ...env, KEYPLAN_TEST_KILL_AFTER_COMMIT: arm }, { imports: [KILL] })
    // B reads the log only when a gap or its change asks: its safety poll would otherwise catch up on its own.
    const b = await cluster.start({ ...env, CLUSTER_POLL_MS: '3600000' })
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const room = `${workshop.id}/stakeholders`
    // The board is loaded on B; a team page on A writes while department is visible, and A dies
    // right after that commit, before publishing it or hearing of any change.
    const onB = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team } })
    const page = await stalePage(a.syncUrl, workshop)
    fs.writeFileSync(arm, room)
    page.write(stakeholder('shape:bea', { x: 0, y: 0 }, { name: 'Bea', department: CANARY }) as unknown as JsonObject) // test records are JSON
    expect((await a.exited).signal).toBe('SIGKILL')
    page.destroy()
    expect(readRecords(onB.doc).has('shape:bea')).toBe(false)

    // Department turns internal through B, which moves its loaded board and marks it balanced.
    await setSensitivity(b, workshop, { 'stakeholder.department': 'internal' })

    // A fresh instance trusts the mark: the row A stored must have been moved with the rest.
    const c = await cluster.start(env)
    const guest = await recordingGuest(c, workshop, 'stakeholders')
    await waitFor(() => heard(guest).includes('Bea'), 'the guest to receive the card', 30_000)
    await drained(guest)
    expect(heard(guest)).not.toContain(CANARY)
    const team = await connectSynced(c.syncUrl, `${room}/internal`, { params: { token: workshop.tokens.team } })
    expect(readOverlays(team.doc).get('shape:bea')?.get('props.department')).toBe(CANARY)

    guest.ws.close()
    team.destroy()
    onB.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)
