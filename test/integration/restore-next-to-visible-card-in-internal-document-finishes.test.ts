/**
 * docs/security.md [A35], docs/server-rules.md [S19]: a server change to a board's shared
 * document is split once (values moved where the sensitivity says, the internal document's
 * additions first, its removals after the change), then applied as split. A team client wrote a
 * visible card whole into the internal document (the internal document's rules let it; the next
 * move takes it out): the split plans that card's move out of the internal document, whose removal
 * comes only after the change is applied. Split again before it was applied, the change planned the
 * same move again, for ever, and the restore never answered. The server runs as a child process:
 * that loop starved its event loop, which would have starved the test's too.
 */
import fs from 'node:fs'
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { anna, stalePage } from '../helpers/boardPartsOnServer.ts'
import { startChildServer } from '../helpers/childServer.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { note, stakeholder } from '../helpers/planBoards.ts'
import { createWorkshop, tempDataDir } from '../helpers/startServer.ts'
import { onlyCustomerFacing } from '../helpers/teamAndGuest.ts'

const json = (value: unknown) => value as JsonObject // test records are JSON

test('a restore while the internal document holds a visible card whole finishes, and the card leaves the internal document [A35][S19]', async () => {
  const dir = tempDataDir()
  const server = await startChildServer({ DATA_DIR: dir })
  try {
    const workshop = await createWorkshop(server.url)
    await onlyCustomerFacing(server, workshop, 'stakeholders')
    const asFacilitator = (path: string, body: unknown) =>
      fetch(`${server.url}/api/workshops/${workshop.id}${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
        // A safety net for the failure this test is about (the restore never answered), not a timing assertion.
        signal: AbortSignal.timeout(60_000),
      })
    const room = `${workshop.id}/stakeholders`
    const team = { params: { token: workshop.tokens.team } }
    const page = await stalePage(server.syncUrl, workshop)
    const shared = await connectSynced(server.syncUrl, room, team)
    const internal = await connectSynced(server.syncUrl, `${room}/internal`, team)

    page.write(anna({}))
    await waitFor(() => readRecords(shared.doc).has('shape:anna'), 'the card stored')
    const taken = await asFacilitator('/snapshots', {})
    expect(taken.status).toBe(201)
    const snapshotId = PlanRecordSchema.parse(await taken.json()).id
    page.write(json(note('shape:later', { x: 400, y: 0 }, 'Added after the snapshot')))
    await waitFor(() => readRecords(shared.doc).has('shape:later'), 'the note stored')

    // A team client writes a visible card whole into the internal document. Since 2026-12-05 the
    // server also moves such a card out on its own ([A35]), so by the time the restore starts it may
    // be in either document: the restore must finish either way.
    writeRecordChanges(page.internal.doc, { put: [json(stakeholder('shape:zed', { x: 0, y: 300 }, { name: 'Zed' }))], remove: [] })
    await waitFor(() => readRecords(internal.doc).has('shape:zed') || readRecords(shared.doc).has('shape:zed'), 'the card stored')

    const response = await asFacilitator(`/snapshots/${snapshotId}/restore`, { board: 'stakeholders' })
    expect(response.status).toBe(200)
    await waitFor(() => !readRecords(shared.doc).has('shape:later'), 'the note restored away')
    await waitFor(() => !readRecords(internal.doc).has('shape:zed'), 'the card out of the internal document')
    expect(readRecords(shared.doc).has('shape:anna')).toBe(true)

    internal.destroy()
    shared.destroy()
    page.destroy()
  } finally {
    server.process.kill('SIGKILL')
    await server.exited
    fs.rmSync(dir, { recursive: true, force: true })
  }
}, 120_000)
