/**
 * [H10] On PostgreSQL, where instances share the journal of open changes, an instance killed by
 * SIGKILL with a change open loses none of the board's history: another instance, running all
 * along, stores the change once its row is stale (no live instance leaves a row unwritten that
 * long), listed with its author's role and name, and revertible.
 */
import pg from 'pg'
import { expect, test } from 'vitest'
import { boardRecords, journaledNote, readChanges, revertChange, until } from '../helpers/childHistory.ts'
import { CLUSTER_TEST_TIMEOUT_MS, useCluster } from '../helpers/cluster.ts'
import { createWorkshop } from '../helpers/startServer.ts'

const cluster = useCluster()

async function ids(url: string, table: 'open_changes' | 'board_changes'): Promise<string[]> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<{ id: string }>(`SELECT id FROM ${table}`)).rows.map((row) => row.id)
  } finally {
    await client.end()
  }
}

test('an open change journaled on an instance killed by SIGKILL is stored by another once stale, by its author, and reverts [H10][H1][H4]', async () => {
  // A change closes after 5 s of quiet, so a journal row is stale after 2 × (5 s + 1 s): the kill
  // comes within a second of the journal write, well before the change would close.
  const env = await cluster.env({ HISTORY_IDLE_MS: '5000', HISTORY_MAX_MS: '5000', LOG_LEVEL: 'info' })
  const url = env.DATABASE_URL
  if (url === undefined) throw new Error('the cluster gave no DATABASE_URL')
  const [a, b] = await Promise.all([cluster.start(env), cluster.start(env)])
  const workshop = await createWorkshop(a.url)

  const page = await journaledNote(a.syncUrl, workshop, 'Ada Lovelace', 'shape:journaled', async () => (await ids(url, 'open_changes')).length > 0)
  a.process.kill('SIGKILL')
  expect((await a.exited).signal).toBe('SIGKILL')
  page.destroy()
  // It was open when the instance died: journaled, not stored.
  const [journaled] = await ids(url, 'open_changes')
  expect(journaled).toBeDefined()
  expect(await ids(url, 'board_changes')).not.toContain(journaled)

  // B's periodic recovery (every 12 s) takes it once stale. The store is polled, not the list
  // (whose read would close B's open changes, [H5]; B has none).
  await until(async () => (await ids(url, 'board_changes')).includes(journaled ?? ''), 'the other instance to store the open change', 120_000)
  expect(await ids(url, 'open_changes')).toEqual([])
  expect(b.stderr().split('\n').filter((line) => line.includes('"msg":"history.recovered"') && line.includes('"count":1'))).toHaveLength(1)
  const { changes } = await readChanges(b.url, workshop)
  expect(changes).toHaveLength(1)
  expect(changes[0]).toMatchObject({ id: journaled, role: 'team', name: 'Ada Lovelace', kind: 'edit' })
  expect(changes[0]?.records.map((r) => [r.id, r.before === null, r.after !== null])).toEqual([['shape:journaled', true, true]])

  const result = await revertChange(b.url, workshop, journaled ?? '')
  expect(result).toMatchObject({ reverted: 1, conflicts: [] })
  expect((await readChanges(b.url, workshop)).changes[0]).toMatchObject({ kind: 'revert', revertOf: journaled })
  expect((await boardRecords(b.syncUrl, workshop)).has('shape:journaled')).toBe(false)
  b.process.kill('SIGTERM')
  expect((await b.exited).code).toBe(0)
}, CLUSTER_TEST_TIMEOUT_MS)
