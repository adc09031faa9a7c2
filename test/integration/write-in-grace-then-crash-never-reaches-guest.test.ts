/**
 * docs/server-rules.md [S37] with docs/security.md [A37]: a write a page routed by the sensitivity
 * just replaced is accepted into the shared document and moved once durable. The server is killed
 * (SIGKILL) right after the store transaction that holds that write, before any move: the board's
 * marker still said "balanced for the new sensitivity", so a load that trusted it would hand the
 * internal value to a guest. The turn that accepts such a write invalidates the marker in the same
 * store transaction, so the load after the restart reads the board whole and moves the value into
 * the internal document before any guest syncs.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { JsonObject } from '@tldraw/utils'
import { afterAll, expect, test } from 'vitest'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { anna, setSensitivity, stalePage } from '../helpers/boardPartsOnServer.ts'
import { stakeholder } from '../helpers/planBoards.ts'
import { startChildServer, type ChildServer } from '../helpers/childServer.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { heard, onlyCustomerFacing, recordingGuest } from '../helpers/teamAndGuest.ts'

const CANARY = 'CANARY-grace-crash-7d2'
const bea = stakeholder('shape:bea', { x: 300, y: 0 }, { name: 'Bea', department: CANARY }) as unknown as JsonObject // test records are JSON
const dataDir = tempDataDir()
const armFile = path.join(dataDir, 'kill-after-commit-of')
const children: ChildServer[] = []
afterAll(async () => {
  for (const child of children) child.process.kill('SIGKILL')
  await Promise.all(children.map((child) => child.exited))
  fs.rmSync(dataDir, { recursive: true, force: true })
})

test('a write accepted in the grace of a sensitivity change, then a crash before it moved: after the restart the guest never receives the internal value, and it is kept [S37][A37]', async () => {
  const first = await startChildServer({ DATA_DIR: dataDir, KEYPLAN_TEST_KILL_AFTER_COMMIT: armFile }, { imports: ['./test/helpers/killAfterCommit.ts'] })
  children.push(first)
  const workshop = await createWorkshop(first.url)
  await onlyCustomerFacing(first, workshop, 'stakeholders')
  const room = `${workshop.id}/stakeholders`

  // A team page on both documents, routing by the defaults (department visible), and a guest.
  const page = await stalePage(first.syncUrl, workshop)
  const guest = await connectSynced(first.syncUrl, room, { params: { token: workshop.tokens.guest, user: 'user:gil' } })
  page.write(anna({ department: 'Sales' }))
  const guestDepartment = () => (readRecords(guest.doc).get('shape:anna')?.props as JsonObject | undefined)?.department
  await waitFor(() => guestDepartment() === 'Sales', 'the guest to have Anna with her department')

  // The facilitator makes department internal: moved and marked balanced before the answer.
  await setSensitivity(first, workshop, { 'stakeholder.department': 'internal' })
  await waitFor(() => guestDepartment() === '', 'the department to leave the guest')

  // The page has not heard yet: it adds a card with a department, written into the shared document
  // (a card the internal document knows nothing of). The server accepts it (grace), and dies right
  // after the store transaction that holds it.
  fs.writeFileSync(armFile, room)
  page.write(bea)
  expect((await first.exited).signal).toBe('SIGKILL')
  // Only storage counts: no client may sync its copy into the next server.
  page.destroy()
  guest.destroy()
  fs.rmSync(armFile)

  const second = await startChildServer({ DATA_DIR: dataDir })
  children.push(second)
  const rawGuest = await recordingGuest(second, workshop, 'stakeholders')
  await waitFor(() => heard(rawGuest).includes('Bea'), 'the guest to receive the board')
  // What the crash left in the shared document was moved by the load, before the guest synced.
  expect(heard(rawGuest)).not.toContain(CANARY)
  // Nothing lost: the team has the value, in the internal document.
  const team = await connectSynced(second.syncUrl, `${room}/internal`, { params: { token: workshop.tokens.team } })
  expect(readOverlays(team.doc).get('shape:bea')?.get('props.department')).toBe(CANARY)
  rawGuest.ws.close()
  team.destroy()
  second.process.kill('SIGTERM')
  expect((await second.exited).code).toBe(0)
})
