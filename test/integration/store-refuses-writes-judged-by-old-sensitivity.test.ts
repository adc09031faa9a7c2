/**
 * docs/server-rules.md [S37] with docs/security.md [A24][A37], issues 13 and 17: a shared
 * document's rows are appended only while the workshop's stored sensitivity generation is the one
 * their room judged them by (checked in the append's transaction). The facilitator makes a field
 * internal through instance A; instance B has not heard of it (its sensitivity events are held, as
 * a lost Redis message or an A that died before publishing would hold them) and a team page on B
 * writes a card whose department, internal now, it routes into the shared document:
 *
 * - the store refuses B's append; B reads the stored sensitivity, judges the write again (kept in
 *   the grace of [A37], the board's marker invalidated with it) and appends it again. B dies right
 *   after that commit: a fresh instance's load reads the board whole, so a guest never receives the
 *   value, and the team has it in the internal document;
 * - B never hears the change by event, yet judges the write by the new sensitivity: the value ends
 *   in the internal document and leaves the guest's copy.
 *
 * Both fail on code without the fence: B stores the write under A's marker and keeps judging by the
 * old sensitivity.
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
import { heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const cluster = useCluster()
const HOLD = './test/helpers/holdSensitivityEvents.ts'
const KILL = './test/helpers/killAfterCommit.ts'

/**
 * Instances A and B of one new database (B loading `imports`, with `hold` as its
 * `KEYPLAN_TEST_HOLD_SENSITIVITY` and `extra` in its environment), a workshop whose stakeholder map
 * is customer-facing, and a team page on B routing by the defaults (department visible).
 */
async function staleInstance(imports: string[], extra: (dir: string) => Record<string, string> = () => ({})) {
  const dir = tempDataDir()
  const hold = path.join(dir, 'hold-sensitivity')
  const env = await cluster.env()
  const a = await cluster.start(env)
  const b = await cluster.start({ ...env, KEYPLAN_TEST_HOLD_SENSITIVITY: hold, ...extra(dir) }, { imports })
  const workshop = await createWorkshop(a.url)
  await onlyCustomerFacing(a, workshop, 'stakeholders')
  const page = await stalePage(b.syncUrl, workshop)
  return { dir, hold, env, a, b, workshop, page }
}

const bea = (department: string) => stakeholder('shape:bea', { x: 0, y: 0 }, { name: 'Bea', department }) as unknown as JsonObject // test records are JSON

test(
  'a write judged by the sensitivity before a change is refused by the store, judged again and stored unmarked; a crash right after leaves nothing a guest receives [S37][A37][A24]',
  async () => {
    const CANARY = 'CANARY-fence-crash-5b3'
    const armName = 'kill-after-commit-of'
    const { dir, hold, env, a, b, workshop, page } = await staleInstance([HOLD, KILL], (d) => ({ KEYPLAN_TEST_KILL_AFTER_COMMIT: path.join(d, armName) }))
    const armFile = path.join(dir, armName)
    const room = `${workshop.id}/stakeholders`

    // Department turns internal through A (moved and marked balanced); B does not hear it.
    fs.writeFileSync(hold, '')
    await setSensitivity(a, workshop, { 'stakeholder.department': 'internal' })
    // B dies right after the first commit that stores a row of the shared document.
    fs.writeFileSync(armFile, room)
    page.write(bea(CANARY))
    expect((await b.exited).signal).toBe('SIGKILL')
    // Only storage counts: no client may sync its copy into another instance.
    page.destroy()

    const c = await cluster.start(env)
    const guest = await recordingGuest(c, workshop, 'stakeholders')
    await waitFor(() => heard(guest).includes('Bea'), 'the guest to receive the board', 30_000)
    expect(heard(guest)).not.toContain(CANARY)
    // Nothing lost: the team has the value, in the internal document.
    const team = await connectSynced(c.syncUrl, `${room}/internal`, { params: { token: workshop.tokens.team } })
    expect(readOverlays(team.doc).get('shape:bea')?.get('props.department')).toBe(CANARY)
    guest.ws.close()
    team.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)

test(
  'an instance that never hears of a sensitivity change by event judges its next write by the stored one [S37][A24]',
  async () => {
    const CANARY = 'CANARY-fence-unheard-8c1'
    const { dir, hold, a, workshop, page } = await staleInstance([HOLD])
    const guest = await connectSynced(a.syncUrl, `${workshop.id}/stakeholders`, { params: { token: workshop.tokens.guest, user: 'user:gil' } })
    const department = () => (readRecords(guest.doc).get('shape:bea')?.props as JsonObject | undefined)?.department

    // The change's event never reaches B (held for the whole test).
    fs.writeFileSync(hold, '')
    await setSensitivity(a, workshop, { 'stakeholder.department': 'internal' })
    page.write(bea(CANARY))
    // Judged by the new sensitivity: the value ends in the internal document, the guest's copy at the default.
    await waitFor(() => department() === '', 'the card to reach the guest without its department', 30_000)
    await waitFor(() => readOverlays(page.internal.doc).get('shape:bea')?.get('props.department') === CANARY, 'the team to have it in the internal document', 30_000)
    expect(fs.existsSync(hold)).toBe(true)

    page.destroy()
    guest.destroy()
    fs.rmSync(dir, { recursive: true, force: true })
  },
  CLUSTER_TEST_TIMEOUT_MS,
)
