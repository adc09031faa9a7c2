/**
 * Moving a single instance to PostgreSQL (deploy/README.md, "Coming from a single instance"): `npm
 * run copy-to-postgres` copies every workshop of the SQLite data dir, with its boards, snapshots,
 * history and account, into the deployment's database, and the single instance's links open them
 * there (the same signing secret). Before, nothing carried them over: every old link answered 404
 * (QA q35b). The copy refuses to run beside the single instance ([S38]) and twice; an account the
 * deployment already has by name (another spelling) takes the copied workshops.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest'
import type { JsonObject } from '@tldraw/utils'
import { readRecords, writeRecordChanges } from '../../shared/docLayout.ts'
import { AccountListSchema } from '../../shared/accounts.ts'
import { WorkshopSchema } from '../../shared/api.ts'
import { lockDataDir } from '../../server/store/dataDirLock.ts'
import { noteIn, openSampleBoards } from '../helpers/sampleWorkshop.ts'
import { connectSynced, waitFor } from '../helpers/clients.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { ensureBuilt, killGroup, ROOT, spawnBundledServer, spawnServer, type Spawned } from '../helpers/spawnedServer.ts'
import { createWorkshop, startServer, tempDataDir, TEST_ORG_KEY } from '../helpers/startServer.ts'

let postgres: PostgresCluster
const running: Spawned[] = []

beforeAll(async () => {
  await ensureBuilt()
  postgres = await startPostgres()
}, POSTGRES_START_TIMEOUT_MS + 300_000)
afterEach(() => {
  for (const spawned of running.splice(0)) killGroup(spawned)
})
afterAll(async () => {
  await postgres?.stop()
})

/** `npm run copy-to-postgres` as an operator runs it; resolves with its exit code and output. */
async function copy(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const spawned = spawnServer(process.execPath, [path.join(ROOT, 'dist', 'node', 'server', 'copyToPostgres.js')], env)
  running.push(spawned)
  const { code } = await spawned.exited
  return { code, stdout: spawned.stdout(), stderr: spawned.stderr() }
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } })

test(
  'copies every workshop with its boards, snapshots, history and account; the old links open them on PostgreSQL',
  async () => {
    // The single instance: a workshop with three boards written, a named snapshot, history; an archived one.
    const dataDir = tempDataDir()
    const single = await startServer({ dataDir, historyIdleMs: 50 })
    const workshop = await single.createWorkshop({ account: 'Électricité Nord', title: 'FY27 plan' })
    const boards = await openSampleBoards(single, workshop.id)
    const written = boards.swot.records()
    for (const board of Object.values(boards)) board.destroy()
    const api = (route: string, init: RequestInit = {}) => fetch(`${single.url}/api/workshops/${workshop.id}${route}`, { ...init, headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json', ...init.headers } })
    const taken = await api('/snapshots', { method: 'POST', body: '{"label":"Kick-off"}' })
    expect(taken.status).toBe(201)
    const snapshot = (await taken.json()) as { id: string }
    const snapshotJson = await (await api(`/snapshots/${snapshot.id}`)).json()
    const history = async (base: string, token: string) => (await (await fetch(`${base}/api/workshops/${workshop.id}/boards/swot/changes?limit=50`, bearer(token))).json()) as { changes: unknown[] }
    let changes = await history(single.url, workshop.tokens.facilitator)
    for (let tries = 0; changes.changes.length === 0 && tries < 200; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50))
      changes = await history(single.url, workshop.tokens.facilitator)
    }
    expect(changes.changes.length).toBeGreaterThan(0)
    const archived = await single.createWorkshop({ account: 'Contoso', title: 'FY26 plan' })
    expect((await fetch(`${single.url}/api/workshops/${archived.id}`, { method: 'PATCH', headers: { authorization: `Bearer ${archived.tokens.facilitator}`, 'content-type': 'application/json' }, body: '{"archived":true}' })).status).toBe(200)
    await single.stop()

    // The deployment, with the single instance's key and signing secret, already has the account in another spelling.
    const databaseUrl = await postgres.createDatabase()
    const deploymentEnv = {
      PORT: '0',
      DATABASE_URL: databaseUrl,
      DATA_DIR: tempDataDir(),
      KEYPLAN_ORG_KEY: TEST_ORG_KEY,
      KEYPLAN_TOKEN_SECRET: `local:${fs.readFileSync(path.join(dataDir, 'token-secret'), 'utf8').trim()}`,
    }
    const deployment = spawnBundledServer(deploymentEnv)
    running.push(deployment)
    const url = await deployment.listening
    await createWorkshop(url, { account: 'ÉLECTRICITÉ NORD', title: 'Made on the deployment' })
    expect((await fetch(`${url}/api/workshops/${workshop.id}`, bearer(workshop.tokens.team))).status).toBe(404)

    // Beside a running single instance (its data dir's lock held): refused, one line, nothing copied.
    const lock = lockDataDir(dataDir)
    const beside = await copy({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl })
    lock.close()
    expect(beside.code).toBe(1)
    expect(beside.stderr.trim().split('\n')).toEqual([`keyplan: cannot copy: a Keyplan server is running on DATA_DIR ${dataDir}: stop it first, so that nothing is written while its workshops are copied`])
    expect((await fetch(`${url}/api/workshops/${workshop.id}`, bearer(workshop.tokens.team))).status).toBe(404)

    const copied = await copy({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl })
    expect(copied.stderr).toBe('')
    expect(copied.code).toBe(0)
    expect(copied.stdout.trim()).toMatch(
      new RegExp(`^keyplan: copied 2 workshops \\(1 archived\\), 1 account, \\d+ board documents \\(\\d+ stored updates\\), 1 snapshot, 3 history entries, 0 votes, 0 timers; 1 account the database already had by name took their workshops: Électricité Nord from ${dataDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} into PostgreSQL\\. The SQLite file is unchanged\\.$`),
    )

    // The old links open the workshop, its board, its snapshot and its history on the deployment.
    const opened = await fetch(`${url}/api/workshops/${workshop.id}`, bearer(workshop.tokens.team))
    expect(opened.status).toBe(200)
    expect(WorkshopSchema.parse(await opened.json())).toMatchObject({ account: 'Électricité Nord', title: 'FY27 plan' })
    const syncUrl = `${url.replace(/^http/, 'ws')}/sync`
    const swot = await connectSynced(syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.team } })
    expect([...readRecords(swot.doc).keys()].sort()).toEqual([...written.keys()].sort())
    for (const [id, record] of written) expect(readRecords(swot.doc).get(id)).toEqual(record)
    expect(await (await fetch(`${url}/api/workshops/${workshop.id}/snapshots/${snapshot.id}`, bearer(workshop.tokens.facilitator))).json()).toEqual(snapshotJson)
    expect(await history(url, workshop.tokens.facilitator)).toEqual(changes)
    const archivedThere = WorkshopSchema.parse(await (await fetch(`${url}/api/workshops/${archived.id}`, bearer(archived.tokens.facilitator))).json())
    expect(archivedThere.archivedAt).toBeDefined()

    // One account, in the deployment's spelling, holds both workshops; Contoso came along.
    const accounts = AccountListSchema.parse(await (await fetch(`${url}/api/accounts`, bearer(TEST_ORG_KEY))).json()).accounts
    expect(accounts.map((account) => [account.name, account.workshops])).toEqual([['Contoso', 1], ['ÉLECTRICITÉ NORD', 2]])

    // A second run finds the workshops there: refused, nothing doubled.
    const again = await copy({ DATA_DIR: dataDir, DATABASE_URL: databaseUrl })
    expect(again.code).toBe(1)
    expect(again.stderr.trim()).toBe('keyplan: cannot copy: 2 of the 2 workshops are already in PostgreSQL (copied before?): nothing was copied')
    expect((await history(url, workshop.tokens.facilitator)).changes).toHaveLength(changes.changes.length)

    // The board goes on from its copied log: a note written now is stored after the copied rows.
    writeRecordChanges(swot.doc, { put: [noteIn('strengths', 'shape:after-the-move', 'Written after the move') as unknown as JsonObject], remove: [] }) // tldraw records are JSON
    const reader = await connectSynced(syncUrl, `${workshop.id}/swot`, { params: { token: workshop.tokens.team } })
    await waitFor(() => readRecords(reader.doc).has('shape:after-the-move'), 'the note written after the move')
    swot.destroy()
    reader.destroy()

    // A server on PostgreSQL with that data dir no longer warns of workshops left behind.
    const onTheDataDir = spawnBundledServer({ ...deploymentEnv, DATA_DIR: dataDir, LOG_LEVEL: 'info' })
    running.push(onTheDataDir)
    await onTheDataDir.listening
    expect(onTheDataDir.stderr()).not.toMatch(/does not serve/)
  },
  POSTGRES_START_TIMEOUT_MS,
)
