import { expect, test } from 'vitest'
import { parseEnv } from '../../server/env.ts'

test('without DATABASE_URL the store is SQLite in DATA_DIR', () => {
  expect(parseEnv({}).databaseUrl).toBeUndefined()
  expect(parseEnv({ DATABASE_URL: '' }).databaseUrl).toBeUndefined()
})

test('DATABASE_URL takes postgres:// and postgresql:// URLs', () => {
  for (const url of ['postgres://keyplan:pw@db.internal:5432/keyplan', 'postgresql://127.0.0.1/keyplan?sslmode=require']) {
    expect(parseEnv({ DATABASE_URL: url }).databaseUrl).toBe(url)
  }
})

test('any other DATABASE_URL is refused with a message that does not repeat it (it may hold a password)', () => {
  for (const bad of ['mysql://root:s3cret-pw@db/keyplan', 'not a url s3cret-pw', 'https://s3cret-pw@example.com/']) {
    expect(() => parseEnv({ DATABASE_URL: bad })).toThrow(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/)
    expect(() => parseEnv({ DATABASE_URL: bad })).not.toThrow(/s3cret/)
  }
})
