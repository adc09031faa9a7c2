/**
 * The PostgreSQL schema of {@link PostgresStore} and the migration runner that applies it once,
 * however many instances start at the same time against the same database.
 */
import type pg from 'pg'
import { z } from 'zod'
import { AccountProfileSchema } from '../../shared/accounts.ts'
import { foldAccountName } from '../../shared/api.ts'

/** One schema migration: SQL, or a step that needs the server's own code (run with the same client, in the same transaction). */
export type PgMigration = string | ((client: pg.PoolClient) => Promise<void>)

/**
 * Schema migrations, applied in order; `schema_migrations` holds one row per migration that ran.
 * Append new entries (never edit old ones).
 *
 * Board logs: `doc_heads` holds one row per document with the last sequence number handed out.
 * Every transaction that changes a document's log (append, compaction) updates or locks that row
 * first, so writers of one document, on any instance, take turns there and sequence numbers of a
 * document are assigned in commit order (docs/decisions/003-postgres-store.md).
 */
export const PG_MIGRATIONS: readonly PgMigration[] = [
  `CREATE TABLE workshops (
     id text PRIMARY KEY,
     account text NOT NULL,
     title text NOT NULL,
     created_at timestamptz NOT NULL,
     time_zone text NOT NULL,
     -- Ties of created_at list the later insert first, as SQLite's rowid does.
     inserted bigint GENERATED ALWAYS AS IDENTITY
   );
   CREATE INDEX workshops_by_created_at ON workshops (created_at DESC, inserted DESC);
   CREATE TABLE workshop_access (
     workshop_id text PRIMARY KEY REFERENCES workshops (id),
     access jsonb NOT NULL
   );
   CREATE TABLE doc_heads (
     doc text PRIMARY KEY,
     last_seq bigint NOT NULL CHECK (last_seq >= 0)
   );
   -- One row per stored Yjs update, or per merged state after compaction (which keeps the
   -- sequence number of the last row it merged).
   CREATE TABLE doc_updates (
     doc text NOT NULL,
     seq bigint NOT NULL,
     data bytea NOT NULL,
     PRIMARY KEY (doc, seq)
   );
   CREATE TABLE snapshots (
     id text PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops (id),
     taken_at timestamptz NOT NULL,
     trigger text NOT NULL,
     label text,
     plan jsonb NOT NULL,
     summary jsonb NOT NULL,
     inserted bigint GENERATED ALWAYS AS IDENTITY
   );
   CREATE INDEX snapshots_by_workshop ON snapshots (workshop_id, taken_at DESC, inserted DESC);
   CREATE TABLE snapshot_boards (
     snapshot_id text NOT NULL REFERENCES snapshots (id),
     board text NOT NULL,
     state bytea NOT NULL,
     PRIMARY KEY (snapshot_id, board)
   );`,
  // What a snapshot records of access when taken (docs/security.md [A17], [A18]), NULL for
  // snapshots stored before; a workshop's archive time (issue 12), NULL while not archived; board
  // change history (issue 11, [H1]): one row per change, `seq` orders a board's changes (pages are
  // cut by it), `at` serves retention ([H8]). Changes and snapshots are kept as `json`, verbatim:
  // they hold users' text, which may contain characters `jsonb` and `text` refuse (\u0000), and a snapshot
  // must not fail because someone typed one.
  `ALTER TABLE snapshots ADD COLUMN access json;
   ALTER TABLE snapshots ALTER COLUMN plan TYPE json USING plan::json, ALTER COLUMN summary TYPE json USING summary::json;
   -- The label is read from the plan; as a text column it could not hold every label.
   ALTER TABLE snapshots DROP COLUMN label;
   ALTER TABLE workshops ADD COLUMN archived_at timestamptz;
   CREATE TABLE board_changes (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id text NOT NULL UNIQUE,
     workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     board text NOT NULL,
     at timestamptz NOT NULL,
     change json NOT NULL
   );
   CREATE INDEX board_changes_by_board ON board_changes (workshop_id, board, seq);
   CREATE INDEX board_changes_by_at ON board_changes (at);`,
  // Dot votes (issue 12, [C10]): one row per vote, its settings and every ballot as one object,
  // parsed with VoteRecordSchema when read; rewritten whole on each change (a vote is small). `json`
  // like the plans: a question may hold any character.
  `CREATE TABLE votes (
     workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     id text NOT NULL,
     created_at timestamptz NOT NULL,
     vote json NOT NULL,
     PRIMARY KEY (workshop_id, id)
   );`,
  // Accounts (issue 16, docs/accounts.md [K1], [K2]): one row per account, its tier, people and
  // selection criteria as one object (AccountProfileSchema), `json` like the plans (user text may
  // hold \u0000). Names are unique ignoring case. Every workshop gets the account named by its
  // `account` text (ignoring case and surrounding spaces), created here with the spelling and time
  // of its oldest workshop, as SQLite's migration 8 does; the workshop's own text stays as it was.
  `CREATE TABLE accounts (
     id text PRIMARY KEY,
     name text NOT NULL,
     profile json NOT NULL,
     created_at timestamptz NOT NULL,
     archived_at timestamptz
   );
   CREATE UNIQUE INDEX accounts_by_name ON accounts (lower(name));
   INSERT INTO accounts (id, name, profile, created_at)
     SELECT DISTINCT ON (lower(trim(account)))
            substr(replace(gen_random_uuid()::text, '-', ''), 1, 24), trim(account), '${JSON.stringify(AccountProfileSchema.parse({}))}'::json, created_at
     FROM workshops ORDER BY lower(trim(account)), created_at, inserted;
   ALTER TABLE workshops ADD COLUMN account_id text REFERENCES accounts (id);
   UPDATE workshops w SET account_id = a.id FROM accounts a WHERE lower(a.name) = lower(trim(w.account));
   CREATE INDEX workshops_by_account ON workshops (account_id, created_at DESC, inserted DESC);`,
  // The facilitator's timer (issue 12, [C6]): one row per workshop, its TimerState (absolute
  // server times), so a restart keeps it running to the same end.
  `CREATE TABLE workshop_timers (
     workshop_id text PRIMARY KEY REFERENCES workshops (id) ON DELETE CASCADE,
     timer json NOT NULL
   );`,
  // Compaction leases (issue 17, docs/decisions/005-several-instances.md): which instance
  // compacts a board, until when, and the epoch every fenced compaction checks in its transaction.
  `CREATE TABLE compaction_leases (
     doc text PRIMARY KEY,
     owner text NOT NULL,
     epoch bigint NOT NULL CHECK (epoch > 0),
     expires_at timestamptz NOT NULL
   );`,
  // Who holds each Yjs client id a keyed participant wrote with (issue 11, docs/server-rules.md
  // [S29]), shared by every instance: the participant is its user id and key id. `seq` orders a
  // document's holds (a participant's oldest go beyond its cap), `held_at` serves retention. Deleted with the
  // workshop.
  `CREATE TABLE client_id_holders (
     doc text NOT NULL,
     client bigint NOT NULL,
     participant text NOT NULL,
     held_at timestamptz NOT NULL DEFAULT now(),
     seq bigint GENERATED ALWAYS AS IDENTITY,
     PRIMARY KEY (doc, client)
   );
   CREATE INDEX client_id_holders_by_doc ON client_id_holders (doc, seq);`,
  // Deleted workshops, for a while ([S36]): an instance that still has a room of one open has its
  // appends refused instead of leaving rows behind the delete. Only the id, pruned after a day.
  `CREATE TABLE deleted_workshops (
     id text PRIMARY KEY,
     deleted_at timestamptz NOT NULL
   );`,
  // Presence while Redis is away ([S33]): one awareness update per board and instance, expiring.
  // Unlogged: presence is not worth a WAL write, and a crash may lose it.
  `CREATE UNLOGGED TABLE board_presence (
     doc text NOT NULL,
     instance text NOT NULL,
     update bytea NOT NULL,
     expires_at timestamptz NOT NULL,
     PRIMARY KEY (doc, instance)
   );
   CREATE INDEX board_presence_by_instance ON board_presence (instance);
   CREATE INDEX board_presence_by_expiry ON board_presence (expires_at);`,
  // [S29] Where each hold was given from (a keyed digest of the client's address), so that one
  // address cannot take every hold of a document. Holds given before have no source ('').
  `ALTER TABLE client_id_holders ADD COLUMN source text NOT NULL DEFAULT '';
   CREATE INDEX client_id_holders_by_source ON client_id_holders (doc, source, seq);`,
  // Issue 13/14: a board's internal document at a snapshot, as bytes beside its state. Snapshots
  // stored before kept it base64 in their access JSON (still read there).
  `ALTER TABLE snapshot_boards ADD COLUMN internal_state bytea;`,
  // [K1] Account names match as `foldAccountName` folds them, in every script, as on SQLite:
  // `lower()` follows the database's LC_CTYPE, and under the C locale folds only A–Z ("Électricité"
  // and "électricité" were two accounts). Each account's key is its folded name; of names that
  // fold alike (accounts made before this), the oldest keeps the key and the others none, so a
  // name finds the oldest, as on SQLite. The unique index is now on the key.
  addAccountNameKeys,
  // [A23] The signing keys of the deployment, by id: a keyed digest of each secret (never the
  // secret), so that an instance given another secret under a known id refuses to start.
  `CREATE TABLE deployment_keys (
     kid text PRIMARY KEY,
     fingerprint text NOT NULL,
     added_at timestamptz NOT NULL DEFAULT now()
   );`,
  // [H10] The journal of open changes: each writer's open change as it would be appended if it
  // closed now (the BoardChange, `json` like board_changes, with its `at` as a column: `->>` refuses
  // a value holding \u0000), rewritten at most once per journal interval while it grows, deleted in
  // the statement that appends it. Rows not journaled for longer than a live instance leaves them
  // are appended by any instance (`journaled_at`). Deleted with the workshop, like its history.
  `CREATE TABLE open_changes (
     id text PRIMARY KEY,
     workshop_id text NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
     board text NOT NULL,
     at timestamptz NOT NULL,
     journaled_at timestamptz NOT NULL,
     change json NOT NULL
   );
   CREATE INDEX open_changes_by_workshop ON open_changes (workshop_id);
   CREATE INDEX open_changes_by_journaled_at ON open_changes (journaled_at);`,
]

async function addAccountNameKeys(client: pg.PoolClient): Promise<void> {
  await client.query('ALTER TABLE accounts ADD COLUMN name_key text')
  const { rows } = await client.query('SELECT id, name FROM accounts ORDER BY created_at, id COLLATE "C"')
  const taken = new Set<string>()
  for (const row of z.array(z.object({ id: z.string(), name: z.string() })).parse(rows)) {
    const key = foldAccountName(row.name)
    if (taken.has(key)) continue
    taken.add(key)
    await client.query('UPDATE accounts SET name_key = $2 WHERE id = $1', [row.id, key])
  }
  await client.query('DROP INDEX accounts_by_name; CREATE UNIQUE INDEX accounts_by_name ON accounts (name_key)')
}

/**
 * Key of the transaction-level advisory lock that migrations run under: the first instance takes
 * it and migrates, the others wait and then find nothing left to do.
 */
const MIGRATION_LOCK_NAME = 'keyplan schema migrations'

const VersionRowSchema = z.object({ version: z.number().int().nonnegative() })

/**
 * Brings the database to the newest schema, in one transaction under an advisory lock, so that
 * instances starting at once against an empty database migrate it exactly once. Throws when the
 * database was migrated by a newer server.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    // Released with the transaction: a migrator that dies leaves no lock behind.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK_NAME])
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    )
    const { rows } = await client.query('SELECT coalesce(max(version), 0)::integer AS version FROM schema_migrations')
    const { version: current } = VersionRowSchema.parse(rows[0])
    if (current > PG_MIGRATIONS.length) {
      throw new Error(`the database has schema version ${current}, newer than this server (${PG_MIGRATIONS.length})`)
    }
    for (let version = current; version < PG_MIGRATIONS.length; version++) {
      const migration = PG_MIGRATIONS[version] ?? ''
      if (typeof migration === 'string') await client.query(migration)
      else await migration(client)
      await client.query('INSERT INTO schema_migrations (version) VALUES ($1)', [version + 1])
    }
    await client.query('COMMIT')
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  } finally {
    client.release()
  }
}
