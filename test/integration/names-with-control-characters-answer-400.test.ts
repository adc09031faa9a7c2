/**
 * [K11] A control character inside a workshop title, an account name, an account's people or a
 * snapshot label answers 400 `invalid_body` on every route that takes one, and nothing changes
 * (SQLite here; the same cases run on PostgreSQL in accounts-on-postgres.test.ts).
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { WorkshopSchema } from '../../shared/api.ts'
import { CONTROL_CHARACTERS, expectControlCharactersRefused } from '../helpers/controlCharacters.ts'
import { startServer, TEST_ORG_KEY, type TestServer } from '../helpers/startServer.ts'

let server: TestServer
beforeAll(async () => {
  server = await startServer()
})
afterAll(() => server.close())

test.each(CONTROL_CHARACTERS.map((c) => [`U+${c.codePointAt(0)?.toString(16).padStart(4, '0')}`, c]))(
  '[K11] %s in a name, title or label answers 400 and stores nothing',
  async (_name, bad) => {
    await expectControlCharactersRefused(server.url, server.store, bad)
  },
)

test('[K11] line breaks and tabs around a name are trimmed away, not refused; other scripts and emoji stay', async () => {
  const response = await fetch(`${server.url}/api/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_ORG_KEY}` },
    body: JSON.stringify({ account: '\tÆbleværk Ωmega 🍏\n', title: '  計画 FY27 ' }),
  })
  expect(response.status).toBe(201)
  expect(WorkshopSchema.parse(await response.json())).toMatchObject({ account: 'Æbleværk Ωmega 🍏', title: '計画 FY27' })
})
