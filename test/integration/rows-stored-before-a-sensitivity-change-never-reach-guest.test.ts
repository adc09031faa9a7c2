/**
 * docs/server-rules.md [S39] with docs/security.md [A38], issues 13 and 17: a row another instance
 * stored while a field was visible, but relayed by this instance after the field was made
 * internal, never reaches a guest with the field's value: it is held from the guests until the
 * board's move took the value out of the shared document.
 *
 * The instance storing the change catches its loaded board up with the log before it moves it
 * ([S37]); the row it reads there was stored before the change (by an instance that died before
 * publishing it). A guest connected to that instance before the change must not receive the
 * row's value, which is internal by then. Fails on code that relayed caught-up rows to guests as
 * they were stored.
 *
 * An instance that has not heard of the change by event reads such a row when the rows of the
 * change's move leave a gap in its numbers: its catch-up reads the stored sensitivity before it
 * applies what it read, so the row is judged by the change and held too. Fails on code whose
 * catch-up applied the rows by the sensitivity the instance last heard of.
 *
 * A guest joining a loaded board on an instance that has not heard of the change reads it first:
 * the board's values are moved before the guest's step 2 is answered. Fails on code that answered
 * guests by the sensitivity the instance last heard of.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { setSensitivity, stalePage } from '../helpers/boardPartsOnServer.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { drained, heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()
const KILL = './test/helpers/killAfterCommit.ts'
const HOLD = './test/helpers/holdSensitivityEvents.ts'

test(
  'a row stored before a sensitivity change and caught up after it reaches a connected guest without the value internal now [S39][A38][S37]',
  async () => {
    const CANARY = 'CANARY-caught-up-row-5e1'
    const dir = tempDataDir()
    const arm = path.join(dir, 'kill-after-commit-of')
    const env = await cluster.env()
    const a = await cluster.start({ ...env, KEYPLAN_TEST_KILL_AFTER_COMMIT: arm }, { imports: [KILL] })
    // B reads the log only when a gap or its change asks: its safety poll would otherwise catch up on its own.
    const b = await cluster.start({ ...env, CLUSTER_POLL_MS: '3600000' })
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const room = `${workshop.id}/stakeholders`
    // A guest is on B before anything happens; a team page on A writes while department is
    // visible, and A dies right after that commit, before publishing it.
    const guest = await recordingGuest(b, workshop, 'stakeholders')
    await drained(guest)
    const page = await stalePage(a.syncUrl, workshop)
    fs.writeFileSync(arm, room)
    page.write(stakeholder('shape:bea', { x: 0, y: 0 }, { name: 'Bea', department: CANARY }) as unknown as JsonObject) // test records are JSON
    expect((await a.exited).signal).toBe('SIGKILL')
    page.destroy()
    expect(heard(guest)).not.toContain('Bea')

    // Department turns internal through B, which catches the board up (reading A's row) and moves it.
    await setSensitivity(b, workshop, { 'stakeholder.department': 'internal' })
    await waitFor(() => heard(guest).includes('Bea'), 'the guest to receive the card', 30_000)
    await drained(guest)
    expect(heard(guest)).not.toContain(CANARY)
    const team = await connectSynced(b.syncUrl, `${room}/internal`, { params: { token: workshop.tokens.team } })
    expect(readOverlays(team.doc).get('shape:bea')?.get('props.department')).toBe(CANARY)
    const shared = await connectSynced(b.syncUrl, room, { params: { token: workshop.tokens.team } })
    expect(readRecords(shared.doc).has('shape:bea')).toBe(true)

    guest.ws.close()
    team.destroy()
    shared.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'an instance that has not heard of a sensitivity change by event judges a row caught up after it by the stored sensitivity [S39][A38][S37]',
  async () => {
    const CANARY = 'CANARY-gap-row-unheard-3c8'
    const dir = tempDataDir()
    const arm = path.join(dir, 'kill-after-commit-of')
    const hold = path.join(dir, 'hold-sensitivity')
    const env = await cluster.env()
    const a = await cluster.start({ ...env, KEYPLAN_TEST_KILL_AFTER_COMMIT: arm }, { imports: [KILL] })
    // B hears no event of the change and reads the log only when a gap asks.
    // Debug logs: B's catch-ups (which rows, judged by which generation) come with a failure.
    const b = await cluster.start({ ...env, CLUSTER_POLL_MS: '3600000', KEYPLAN_TEST_HOLD_SENSITIVITY: hold, LOG_LEVEL: 'debug' }, { imports: [HOLD] })
    const c = await cluster.start({ ...env, CLUSTER_POLL_MS: '3600000' })
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const room = `${workshop.id}/stakeholders`
    const guest = await recordingGuest(b, workshop, 'stakeholders')
    // The board is loaded on C too, so that the rows of C's move are published.
    const onC = await connectSynced(c.syncUrl, room, { params: { token: workshop.tokens.team } })
    await drained(guest)
    const page = await stalePage(a.syncUrl, workshop)
    fs.writeFileSync(arm, room)
    page.write(stakeholder('shape:cem', { x: 0, y: 0 }, { name: 'Cem', department: CANARY }) as unknown as JsonObject) // test records are JSON
    expect((await a.exited).signal).toBe('SIGKILL')
    page.destroy()

    // Department turns internal through C: it catches its board up (A's row with it) and moves it;
    // its rows reach B over Redis above the number of A's row, which B reads from PostgreSQL.
    fs.writeFileSync(hold, '')
    await setSensitivity(c, workshop, { 'stakeholder.department': 'internal' })
    await waitFor(() => heard(guest).includes('Cem'), 'the guest to receive the card', 30_000)
    await drained(guest)
    expect(heard(guest), `B's log:\n${b.stderr()}`).not.toContain(CANARY)
    expect(fs.existsSync(hold)).toBe(true)
    const team = await connectSynced(b.syncUrl, `${room}/internal`, { params: { token: workshop.tokens.team } })
    await waitFor(() => readOverlays(team.doc).get('shape:cem')?.get('props.department') === CANARY, 'the value in the internal document', 30_000)

    guest.ws.close()
    team.destroy()
    onC.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'a guest joining a board on an instance that has not heard of a sensitivity change gets the board after its move [S39][A38]',
  async () => {
    const CANARY = 'CANARY-join-unheard-8b2'
    const dir = tempDataDir()
    const arm = path.join(dir, 'kill-after-commit-of')
    const hold = path.join(dir, 'hold-sensitivity')
    const env = await cluster.env()
    const a = await cluster.start({ ...env, KEYPLAN_TEST_KILL_AFTER_COMMIT: arm }, { imports: [KILL] })
    const b = await cluster.start({ ...env, KEYPLAN_TEST_HOLD_SENSITIVITY: hold }, { imports: [HOLD] })
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const room = `${workshop.id}/stakeholders`
    // A team page on B writes while department is visible; the board stays loaded on B.
    const page = await stalePage(b.syncUrl, workshop)
    page.write(stakeholder('shape:dan', { x: 0, y: 0 }, { name: 'Dan', department: CANARY }) as unknown as JsonObject) // test records are JSON
    const onA = await connectSynced(a.syncUrl, room, { params: { token: workshop.tokens.team } })
    await waitFor(() => readRecords(onA.doc).has('shape:dan'), 'the card to reach A', 30_000)

    // Department turns internal through A, which stores the change and dies in the board's move
    // (after writing its internal document, before its shared one): no row of the shared document
    // follows the change, and B hears no event of it. Then a guest joins on B.
    fs.writeFileSync(hold, '')
    fs.writeFileSync(arm, `${room}/internal`)
    await setSensitivity(a, workshop, { 'stakeholder.department': 'internal' }).catch(() => undefined)
    expect((await a.exited).signal).toBe('SIGKILL')
    onA.destroy()
    const guest = await recordingGuest(b, workshop, 'stakeholders')
    await waitFor(() => heard(guest).includes('Dan'), 'the guest to receive the card', 30_000)
    await drained(guest)
    expect(heard(guest)).not.toContain(CANARY)
    expect(fs.existsSync(hold)).toBe(true)

    guest.ws.close()
    page.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)
