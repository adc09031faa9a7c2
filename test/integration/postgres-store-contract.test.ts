import pg from 'pg'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { PostgresStore } from '../../server/store/PostgresStore.ts'
import { PG_MIGRATIONS } from '../../server/store/postgresSchema.ts'
import { CorruptRecordError, FencedError, SensitivityChangedError, WorkshopDeletedError } from '../../server/store/Store.ts'
import { POSTGRES_START_TIMEOUT_MS, startPostgres, type PostgresCluster } from '../helpers/postgres.ts'
import { samplePlan } from '../helpers/samplePlan.ts'
import { storeContractSuite } from './store-contract.ts'

let postgres: PostgresCluster
beforeAll(async () => {
  postgres = await startPostgres()
}, POSTGRES_START_TIMEOUT_MS)
afterAll(async () => {
  await postgres?.stop()
})

storeContractSuite('PostgresStore', async () => {
  const url = await postgres.createDatabase()
  return {
    store: await PostgresStore.open(url),
    reopen: () => PostgresStore.open(url),
    another: () => PostgresStore.open(url),
    cleanup: async () => {},
  }
})

/** Runs `sql` on the database at `url` outside any store (an operator, or a broken writer). */
async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return await client.query(text, values)
  } finally {
    await client.end()
  }
}

/** Resolves once a session of the database at `url` waits for a lock (the append under test). */
async function appendWaitsForLock(url: string): Promise<void> {
  const deadline = Date.now() + 20_000
  for (let waiting = 0; waiting === 0; ) {
    if (Date.now() > deadline) throw new Error('timed out waiting for the append to wait for the lock')
    const { rows } = await sql(url, "SELECT count(*)::integer AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")
    waiting = (rows[0] as { n: number }).n
  }
}

function mapUpdate(doc: Y.Doc, key: string, value: unknown): Uint8Array {
  const before = Y.encodeStateVector(doc)
  doc.getMap('m').set(key, value)
  return Y.encodeStateAsUpdate(doc, before)
}

/** Brings the database at `url` to the schema before migration `migration` (0-based), as an older server left it. */
async function migrateBefore(url: string, migration: number): Promise<void> {
  await sql(url, 'CREATE TABLE schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())')
  for (const [version, text] of PG_MIGRATIONS.slice(0, migration).entries()) {
    if (typeof text !== 'string') throw new Error(`migration ${version + 1} is not SQL`)
    await sql(url, text)
    await sql(url, 'INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1])
  }
}

const workshop = { id: 'aaaaaaaaaaaa', account: 'A', title: 'T', createdAt: '2026-01-01T00:00:00.000Z', timeZone: 'UTC' }

describe('PostgresStore', () => {
  test('instances starting at once against an empty database migrate it once', async () => {
    const url = await postgres.createDatabase()
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url), PostgresStore.open(url)])
    try {
      const { rows } = await sql(url, 'SELECT count(*)::integer AS migrations, count(DISTINCT xmin::text)::integer AS transactions FROM schema_migrations')
      expect(rows[0]).toEqual({ migrations: PG_MIGRATIONS.length, transactions: 1 })
      // Every instance works on the one schema.
      await stores[0]?.createWorkshop(workshop)
      expect(await stores[2]?.getWorkshop(workshop.id)).toEqual({ ...workshop, accountId: expect.any(String) })
    } finally {
      for (const store of stores) await store.close()
    }
  })

  test('refuses a database migrated by a newer server', async () => {
    const url = await postgres.createDatabase()
    await (await PostgresStore.open(url)).close()
    await sql(url, 'INSERT INTO schema_migrations (version) VALUES ($1)', [PG_MIGRATIONS.length + 1])
    await expect(PostgresStore.open(url)).rejects.toThrow(/newer than this server/)
  })

  test("a document's sequence numbers are 1, 2, 3... without gaps, whichever instance appended them", async () => {
    const url = await postgres.createDatabase()
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)])
    try {
      const perStore = await Promise.all(
        stores.map(async (store, s) => {
          const doc = new Y.Doc()
          const seqs: number[] = []
          for (let i = 0; i < 30; i++) seqs.push(...(await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, `s${s}-${i}`, i) }])))
          return seqs
        }),
      )
      // A failed append numbers nothing: its transaction rolls the head back too.
      await expect(stores[0]?.appendUpdates([{ docName: 'w/a', update: new Uint8Array([1]) }, { docName: 'w/a', update: null as never }])).rejects.toThrow() // null violates NOT NULL
      const all = perStore.flat().sort((p, q) => p - q)
      expect(all).toEqual(Array.from({ length: 60 }, (_, i) => i + 1))
      expect(await stores[1]?.appendUpdates([{ docName: 'w/a', update: new Uint8Array([0]) }])).toEqual([61])
    } finally {
      for (const store of stores) await store.close()
    }
  })

  test('[S36] a deleted workshop takes no more rows or leases; a call with rows of another workshop stores none, and those go in alone', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    try {
      const other = { ...workshop, id: 'bbbbbbbbbbbb' }
      await store.createWorkshop(workshop)
      await store.createWorkshop(other)
      const doc = new Y.Doc()
      await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'a', 1) }])
      expect(await store.deleteWorkshop(workshop.id)).toBe(true)

      const ofOther = { docName: 'bbbbbbbbbbbb/swot', update: mapUpdate(new Y.Doc(), 'b', 1) }
      const late = [
        ofOther,
        { docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'late', 2) },
        { docName: 'aaaaaaaaaaaa/swot/internal', update: mapUpdate(new Y.Doc(), 'secret', 3) },
      ]
      const refused = await store.appendUpdates(late).catch((error: unknown) => error)
      expect(refused).toBeInstanceOf(WorkshopDeletedError)
      expect((refused as WorkshopDeletedError).docNames).toEqual(['aaaaaaaaaaaa/swot', 'aaaaaaaaaaaa/swot/internal']) // its class is checked just above
      expect(await store.loadDocument('bbbbbbbbbbbb/swot')).toEqual({ updates: [], lastSeq: 0, bytes: 0 })
      expect(await store.appendUpdates([ofOther])).toEqual([1])
      expect(await store.acquireCompactionLease('aaaaaaaaaaaa/swot', 'A', 60_000)).toBeUndefined()
      const { rows } = await sql(url, `SELECT (SELECT count(*) FROM doc_heads WHERE starts_with(doc, 'aaaaaaaaaaaa/'))::integer AS heads,
        (SELECT count(*) FROM doc_updates WHERE starts_with(doc, 'aaaaaaaaaaaa/'))::integer AS updates,
        (SELECT count(*) FROM compaction_leases)::integer AS leases`)
      expect(rows[0]).toEqual({ heads: 0, updates: 0, leases: 0 })
    } finally {
      await store.close()
    }
  })

  /** A store on a new database holding `workshop`, and another session on it; both closed after `run`. */
  async function withSecondSession(run: (store: PostgresStore, session: pg.Client, url: string) => Promise<void>): Promise<void> {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    const session = new pg.Client({ connectionString: url })
    await session.connect()
    try {
      await store.createWorkshop(workshop)
      await run(store, session, url)
    } finally {
      await session.end()
      await store.close()
    }
  }

  test('[S36] an append waiting on a workshop that a delete removes meanwhile stores nothing', async () => {
    await withSecondSession(async (store, deleter, url) => {
      const doc = new Y.Doc()
      await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'a', 1) }])
      // A delete under way holds the workshop's row, as PostgresStore.deleteWorkshop does first.
      await deleter.query('BEGIN')
      await deleter.query('SELECT id FROM workshops WHERE id = $1 FOR UPDATE', [workshop.id])
      const append = store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'b', 2) }]).catch((error: unknown) => error)
      await appendWaitsForLock(url)
      await deleter.query("INSERT INTO deleted_workshops (id, deleted_at) VALUES ($1, now())", [workshop.id])
      for (const table of ['workshop_access', 'board_changes', 'votes', 'workshop_timers']) await deleter.query(`DELETE FROM ${table} WHERE workshop_id = $1`, [workshop.id])
      await deleter.query(`WITH gone AS (DELETE FROM doc_heads WHERE starts_with(doc, $1 || '/') RETURNING doc) DELETE FROM doc_updates WHERE doc IN (SELECT doc FROM gone)`, [workshop.id])
      await deleter.query('DELETE FROM workshops WHERE id = $1', [workshop.id])
      await deleter.query('COMMIT')
      expect(await append).toBeInstanceOf(WorkshopDeletedError)
      const { rows } = await sql(url, `SELECT (SELECT count(*) FROM doc_heads)::integer AS heads, (SELECT count(*) FROM doc_updates)::integer AS updates`)
      expect(rows[0]).toEqual({ heads: 0, updates: 0 })
    })
  })

  test('[S37] an append waiting on a change of sensitivity in flight reads the generation it commits, and is refused', async () => {
    await withSecondSession(async (store, changer, url) => {
      const doc = new Y.Doc()
      await store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(doc, 'a', 1), sensitivityGeneration: 0 }])
      // A change under way holds the access row, as PostgresStore.setSensitivity does.
      await changer.query('BEGIN')
      await changer.query('SELECT access FROM workshop_access WHERE workshop_id = $1 FOR UPDATE', [workshop.id])
      await changer.query(`UPDATE workshop_access SET access = jsonb_set(access, '{sensitivityGeneration}', '1') WHERE workshop_id = $1`, [workshop.id])
      const append = store.appendUpdates([{ docName: 'aaaaaaaaaaaa/swot', update: mapUpdate(new Y.Doc(), 'b', 2), sensitivityGeneration: 0 }]).catch((error: unknown) => error)
      await appendWaitsForLock(url)
      await changer.query('COMMIT')
      expect(await append).toBeInstanceOf(SensitivityChangedError)
      expect((await store.loadDocument('aaaaaaaaaaaa/swot')).updates).toHaveLength(1)
    })
  })

  test('a compaction claiming rows beyond the end of the log is refused and changes nothing (fence)', async () => {
    const store = await PostgresStore.open(await postgres.createDatabase())
    try {
      const doc = new Y.Doc()
      await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'a', 1) }, { docName: 'w/a', update: mapUpdate(doc, 'b', 2) }])
      const before = await store.loadDocument('w/a')
      await expect(store.compactDocument('w/a', Y.encodeStateAsUpdate(doc), 3)).rejects.toThrow(/log ends at 2/)
      await expect(store.compactDocument('w/none', Y.encodeStateAsUpdate(doc), 1)).rejects.toThrow(/log ends at 0/)
      await expect(store.compactDocument('w/a', Y.encodeStateAsUpdate(doc), 0)).rejects.toThrow(RangeError)
      expect(await store.loadDocument('w/a')).toEqual(before)
      expect(await store.loadDocument('w/none')).toEqual({ updates: [], lastSeq: 0, bytes: 0 })
      expect(await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'c', 3) }])).toEqual([3])
    } finally {
      await store.close()
    }
  })

  test('one compactor per board: a lease with an epoch; a compaction under an epoch taken over is refused and changes nothing [S35]', async () => {
    const url = await postgres.createDatabase()
    const [a, b] = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)])
    try {
      const doc = new Y.Doc()
      await a.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'a', 1) }, { docName: 'w/a', update: mapUpdate(doc, 'b', 2) }])
      const merged = Y.encodeStateAsUpdate(doc)
      // Held: nobody else gets it. Its holder's writes extend it.
      const first = await a.acquireCompactionLease('w/a', 'A', 60_000)
      expect(first).toBe(1)
      expect(await b.acquireCompactionLease('w/a', 'B', 60_000)).toBeUndefined()
      expect(await b.acquireCompactionLease('w/other', 'B', 60_000)).toBe(1)
      // Expired (A paused past it): B takes over under a new epoch.
      expect(await a.acquireCompactionLease('w/a', 'A', 1)).toBe(2)
      await new Promise((resolve) => setTimeout(resolve, 20))
      const taken = await b.acquireCompactionLease('w/a', 'B', 60_000)
      expect(taken).toBe(3)
      const before = await a.loadDocument('w/a')
      await expect(a.compactDocumentFenced('w/a', merged, 2, { owner: 'A', epoch: 2, ttlMs: 60_000 })).rejects.toThrow(FencedError)
      expect(await a.loadDocument('w/a')).toEqual(before)
      // The holder compacts; released, the next instance may take it at once.
      await b.compactDocumentFenced('w/a', merged, 2, { owner: 'B', epoch: 3, ttlMs: 60_000 })
      expect((await a.loadDocument('w/a')).updates).toHaveLength(1)
      expect(await a.acquireCompactionLease('w/a', 'A', 60_000)).toBeUndefined()
      await a.releaseCompactionLease('w/a', 'A', 3)
      expect(await a.acquireCompactionLease('w/a', 'A', 60_000)).toBeUndefined()
      await b.releaseCompactionLease('w/a', 'B', 3)
      expect(await a.acquireCompactionLease('w/a', 'A', 60_000)).toBe(4)
      await expect(b.compactDocumentFenced('w/a', merged, 2, { owner: 'B', epoch: 3, ttlMs: 60_000 })).rejects.toThrow(FencedError)
    } finally {
      await Promise.all([a.close(), b.close()])
    }
  })

  test('a compaction whose session the server ends mid-transaction rejects, changes nothing, and the store goes on [S35]', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    const blocker = new pg.Client({ connectionString: url })
    await blocker.connect()
    try {
      const doc = new Y.Doc()
      await store.appendUpdates([{ docName: 'w/a', update: mapUpdate(doc, 'a', 1) }, { docName: 'w/a', update: mapUpdate(doc, 'b', 2) }])
      const epoch = await store.acquireCompactionLease('w/a', 'A', 60_000)
      if (epoch === undefined) throw new Error('lease not taken')
      const before = await store.loadDocument('w/a')
      // Another session holds the lease row: the compaction waits inside its transaction.
      await blocker.query('BEGIN')
      await blocker.query("SELECT * FROM compaction_leases WHERE doc = 'w/a' FOR UPDATE")
      const compaction = store.compactDocumentFenced('w/a', Y.encodeStateAsUpdate(doc), 2, { owner: 'A', epoch, ttlMs: 60_000 })
      compaction.catch(() => undefined)
      let waiting = 0
      while (waiting === 0) {
        const { rows } = await blocker.query("SELECT count(*)::integer AS n FROM pg_stat_activity WHERE application_name = 'keyplan' AND wait_event_type = 'Lock'")
        waiting = (rows[0] as { n: number }).n // the one column selected
      }
      // As idle_in_transaction_session_timeout would end a paused instance's session.
      await blocker.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'keyplan' AND wait_event_type = 'Lock'")
      await expect(compaction).rejects.toThrow()
      await blocker.query('ROLLBACK')
      expect(await store.loadDocument('w/a')).toEqual(before)
      await store.compactDocumentFenced('w/a', Y.encodeStateAsUpdate(doc), 2, { owner: 'A', epoch, ttlMs: 60_000 })
      expect((await store.loadDocument('w/a')).updates).toHaveLength(1)
    } finally {
      await blocker.end()
      await store.close()
    }
  })

  test('a corrupt stored plan is a CorruptRecordError for that snapshot only [S18]', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    try {
      await store.createWorkshop(workshop)
      await store.insertSnapshot({ plan: samplePlan({ id: 'good', workshopId: workshop.id }), boards: {} })
      await store.insertSnapshot({ plan: samplePlan({ id: 'bad', workshopId: workshop.id }), boards: {} })
      await sql(url, `UPDATE snapshots SET plan = jsonb_set(plan::jsonb, '{trigger}', '"whenever"')::json WHERE id = 'bad'`)
      await expect(store.getSnapshot(workshop.id, 'bad')).rejects.toBeInstanceOf(CorruptRecordError)
      await expect(store.getSnapshot(workshop.id, 'bad')).rejects.toThrow(/trigger/)
      expect((await store.getSnapshot(workshop.id, 'good'))?.id).toBe('good')
      expect(await store.listSnapshots(workshop.id)).toHaveLength(2)
    } finally {
      await store.close()
    }
  })

  test('records stored before the objectives and whitespace boards read as the current version, new boards internal [P10] [P15] [A22]', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    try {
      await store.createWorkshop(workshop)
      const plan = samplePlan({ id: 'old', workshopId: workshop.id })
      await store.insertSnapshot({ plan, boards: {}, access: { customerFacing: { swot: true, stakeholders: false, objectives: true, actions: true, whitespace: true }, participants: [] } })
      const { votes: _v, objectives: _o, whitespace: _w, competitors: _c, health: _h, ...v1 } = plan
      const threeBoards = JSON.stringify({ swot: true, stakeholders: false, actions: true })
      await sql(url, `UPDATE snapshots SET plan = $1::json, access = jsonb_set(access::jsonb, '{customerFacing}', $2::jsonb)::json WHERE id = 'old'`, [
        JSON.stringify({ ...v1, schemaVersion: 1, actions: v1.actions.map(({ objectives: _links, ...action }) => action) }),
        threeBoards,
      ])
      await sql(url, `UPDATE workshop_access SET access = jsonb_set(access, '{customerFacing}', $1::jsonb)`, [threeBoards])
      expect(await store.getSnapshot(workshop.id, 'old')).toEqual({ ...plan, votes: [] })
      expect((await store.getSnapshotAccess(workshop.id, 'old'))?.customerFacing).toEqual({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
      expect((await store.getAccess(workshop.id))?.customerFacing).toEqual({ swot: true, stakeholders: false, objectives: false, actions: true, whitespace: false })
    } finally {
      await store.close()
    }
  })

  test('a corrupt access row is a CorruptRecordError, and no change is written over it [A6]', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    try {
      await store.createWorkshop(workshop)
      await sql(url, `UPDATE workshop_access SET access = '{"customerFacing":{"swot":"yes"}}'`)
      await expect(store.getAccess(workshop.id)).rejects.toBeInstanceOf(CorruptRecordError)
      await expect(store.bumpGeneration(workshop.id, 'guest')).rejects.toBeInstanceOf(CorruptRecordError)
      const { rows } = await sql(url, 'SELECT access FROM workshop_access')
      expect(rows[0]).toEqual({ access: { customerFacing: { swot: 'yes' } } })
    } finally {
      await store.close()
    }
  })

  test('a corrupt stored change is left out of its page and a CorruptRecordError when read alone [H1]', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    try {
      await store.createWorkshop(workshop)
      const change = (id: string) => ({
        id, workshopId: workshop.id, board: 'swot' as const, at: '2026-12-01T10:00:00.000Z', role: 'team' as const, name: 'Tom',
        connId: 'conn1234', kind: 'edit' as const, revertOf: null, customerFacing: false, records: [],
      })
      await store.appendChange(change('change-good'))
      await store.appendChange(change('change-bad1'))
      await sql(url, `UPDATE board_changes SET change = '{"id":"change-bad1","kind":"whatever"}' WHERE id = 'change-bad1'`)
      expect((await store.listChanges(workshop.id, 'swot', { limit: 10 })).changes.map((c) => c.id)).toEqual(['change-good'])
      await expect(store.getChange(workshop.id, 'swot', 'change-bad1')).rejects.toBeInstanceOf(CorruptRecordError)
    } finally {
      await store.close()
    }
  })

  test('[K2] workshops stored before accounts are filed under one account per name, ignoring case and spaces, as the oldest spells it', async () => {
    const url = await postgres.createDatabase()
    const migration = PG_MIGRATIONS.findIndex((text) => typeof text === 'string' && text.includes('CREATE TABLE accounts'))
    expect(migration).toBeGreaterThan(0)
    // The database as the server before accounts left it.
    await migrateBefore(url, migration)
    const old = [
      ['wwwwwwww0001', ' acme ', 'Q1', '2026-02-01T00:00:00.000Z'],
      ['wwwwwwww0002', 'ACME', 'Q2', '2026-01-01T00:00:00.000Z'],
      ['wwwwwwww0003', 'Globex', 'Q3', '2026-03-01T00:00:00.000Z'],
    ]
    for (const [id, account, title, createdAt] of old) {
      await sql(url, 'INSERT INTO workshops (id, account, title, created_at, time_zone) VALUES ($1, $2, $3, $4, $5)', [id, account, title, createdAt, 'UTC'])
    }
    const store = await PostgresStore.open(url)
    try {
      const accounts = await store.listAccounts()
      expect(accounts.map((a) => [a.name, a.createdAt, a.tier])).toEqual([
        ['ACME', '2026-01-01T00:00:00.000Z', 'key'],
        ['Globex', '2026-03-01T00:00:00.000Z', 'key'],
      ])
      const acme = accounts[0]?.id ?? ''
      expect((await store.listAccountWorkshops(acme)).map((w) => [w.id, w.account])).toEqual([
        ['wwwwwwww0001', ' acme '],
        ['wwwwwwww0002', 'ACME'],
      ])
      expect((await store.getWorkshop('wwwwwwww0003'))?.accountId).toBe(accounts[1]?.id)
      // A later workshop by either spelling joins the migrated account.
      await store.createWorkshop({ ...workshop, account: 'Acme' })
      expect((await store.getWorkshop(workshop.id))?.accountId).toBe(acme)
    } finally {
      await store.close()
    }
  })

  test('[K1] accounts stored before names were folded in every script: the oldest of names that fold alike is found by them; none is lost', async () => {
    const url = await postgres.createDatabase()
    const migration = PG_MIGRATIONS.findIndex((step) => typeof step !== 'string')
    expect(migration).toBeGreaterThan(0)
    // The database as the server before keys left it: under the C locale, lower() kept these two apart.
    await migrateBefore(url, migration)
    const old = [
      ['acct-new', 'électricité test', '2026-02-01T00:00:00.000Z'],
      ['acct-old', 'Électricité Test', '2026-01-01T00:00:00.000Z'],
      ['acct-acme', 'Acme', '2026-03-01T00:00:00.000Z'],
    ]
    for (const [id, name, createdAt] of old) await sql(url, "INSERT INTO accounts (id, name, profile, created_at) VALUES ($1, $2, '{}', $3)", [id, name, createdAt])
    const store = await PostgresStore.open(url)
    try {
      expect((await store.findAccountByName('ÉLECTRICITÉ TEST'))?.id).toBe('acct-old')
      expect((await store.findAccountByName('acme'))?.id).toBe('acct-acme')
      expect((await store.listAccounts()).map((a) => a.id).sort()).toEqual(['acct-acme', 'acct-new', 'acct-old'])
      await store.createWorkshop({ ...workshop, account: 'électricité  test' })
      expect((await store.getWorkshop(workshop.id))?.accountId).toBe('acct-old')
      // The other keeps its workshops and may still be renamed, onto a free name.
      expect((await store.updateAccount('acct-new', { name: 'Électricité Test (Nord)' }))?.name).toBe('Électricité Test (Nord)')
      expect((await store.findAccountByName('électricité test (nord)'))?.id).toBe('acct-new')
    } finally {
      await store.close()
    }
  })

  test('[K2] two instances creating workshops of one new account name at once file both under one account', async () => {
    const url = await postgres.createDatabase()
    const stores = await Promise.all([PostgresStore.open(url), PostgresStore.open(url)])
    try {
      const names = ['Initech', 'INITECH ', ' initech', 'Initech']
      await Promise.all(
        names.map((account, i) => stores[i % 2]?.createWorkshop({ ...workshop, id: `wwwwwwww000${i}`, account, createdAt: `2026-01-0${i + 1}T00:00:00.000Z` })),
      )
      const accounts = await stores[0]?.listAccounts()
      expect(accounts).toHaveLength(1)
      expect(await stores[1]?.listAccountWorkshops(accounts?.[0]?.id ?? '')).toHaveLength(names.length)
    } finally {
      for (const store of stores) await store.close()
    }
  })

  // An account profile can no longer hold control characters ([K11], refused by its schema); a label
  // stored by an older server may, and plans (users' text) may.
  test('[K9] a snapshot label may hold \\u0000; renaming a snapshot keeps the rest of its plan verbatim', async () => {
    const store = await PostgresStore.open(await postgres.createDatabase())
    try {
      await store.createAccount({
        id: 'acct-nul-0001', name: 'Nul', createdAt: '2026-01-01T00:00:00.000Z', tier: 'strategic',
        keyAccountManager: 'A B', executiveSponsor: '', segment: '', criteria: { annualRevenue: null, profitability: null, growthPotential: 4, strategicImportance: null, relativeStrength: null },
      })
      await store.createWorkshop({ ...workshop, accountId: 'acct-nul-0001' })
      const plan = samplePlan({ id: 'snap-nul-0001', workshopId: workshop.id })
      await store.insertSnapshot({ plan, boards: {} })
      expect(await store.setSnapshotLabel(workshop.id, 'snap-nul-0001', 'x\u0000y')).toBe(true)
      expect(await store.getSnapshot(workshop.id, 'snap-nul-0001')).toEqual({ ...plan, label: 'x\u0000y' })
      expect((await store.listAccountSnapshots('acct-nul-0001')).map((s) => s.summary.label)).toEqual(['x\u0000y'])
    } finally {
      await store.close()
    }
  })

  test('a time zone this runtime does not know reads as UTC [P9]', async () => {
    const url = await postgres.createDatabase()
    const store = await PostgresStore.open(url)
    try {
      await store.createWorkshop({ ...workshop, timeZone: 'Asia/Kolkata' })
      await sql(url, `UPDATE workshops SET time_zone = 'Nowhere/Atlantis'`)
      expect((await store.getWorkshop(workshop.id))?.timeZone).toBe('UTC')
      expect((await store.listWorkshops()).map((w) => w.timeZone)).toEqual(['UTC'])
    } finally {
      await store.close()
    }
  })
})
