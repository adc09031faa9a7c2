/**
 * docs/security.md [A24][A37] with docs/server-rules.md [S37], issues 13 and 17: the facilitator
 * changes a field's sensitivity through instance A, which moves the values and marks the board
 * balanced. Instance B has not heard of the change yet (held, as a slow Redis or a poll round
 * would hold it) and accepts a team page's write by the old sensitivity: a card whose department,
 * internal now, lands in the shared document, stored and fanned out to a guest on A. Once B hears,
 * invalidates the board's marker and moves its loaded boards again, read whole, so the value
 * leaves the shared document (and every guest's copy) for the internal one.
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
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()
const CANARY = 'CANARY-heard-late-4e1'

test(
  'a write an instance accepted by the old sensitivity before it heard of the change is moved once it hears, and leaves the guest [A24][A37][S37]',
  async () => {
    const holdDir = tempDataDir()
    const holdFile = path.join(holdDir, 'hold-sensitivity')
    const env = await cluster.env({ KEYPLAN_TEST_HOLD_SENSITIVITY: holdFile })
    const [a, b] = await Promise.all([cluster.start(env), cluster.start(env, { imports: ['./test/helpers/holdSensitivityEvents.ts'] })])
    const workshop = await createWorkshop(a.url)
    await onlyCustomerFacing(a, workshop, 'stakeholders')
    const room = `${workshop.id}/stakeholders`

    // A team page on B, routing by the defaults (department visible); a guest on A.
    const page = await stalePage(b.syncUrl, workshop)
    const guest = await connectSynced(a.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:gil' } })
    const department = (doc = guest.doc) => (readRecords(doc).get('shape:bea')?.props as JsonObject | undefined)?.department

    // Department turns internal through A; B does not hear it yet.
    fs.writeFileSync(holdFile, '')
    await setSensitivity(a, workshop, { 'stakeholder.department': 'internal' })
    page.write(stakeholder('shape:bea', { x: 0, y: 0 }, { name: 'Bea', department: CANARY }) as unknown as JsonObject) // test records are JSON
    // The card reaches the guest on A. (The store refuses B's append as judged by the old
    // sensitivity, so B judges it again by the stored one before it is stored, [S37]; its value may
    // reach the guest in the grace of [A37] until it moves.)
    await waitFor(() => readRecords(guest.doc).has('shape:bea'), 'the card to reach the guest on A', 30_000)

    // B hears: the value leaves the shared document, for the guest too, and is kept internal.
    fs.rmSync(holdFile)
    await waitFor(() => department() === '', 'the department to leave the guest', 30_000)
    await waitFor(() => readOverlays(page.internal.doc).get('shape:bea')?.get('props.department') === CANARY, 'the team to have it in the internal document', 30_000)
    expect(readRecords(guest.doc).has('shape:bea')).toBe(true)

    page.destroy()
    guest.destroy()
    fs.rmSync(holdDir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)
