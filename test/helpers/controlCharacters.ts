/**
 * Names and titles with control characters, sent to every route that takes one (docs/accounts.md
 * [K11]): each must answer 400 `invalid_body` and leave workshops, accounts and snapshots as they
 * were. Shared by the SQLite and the PostgreSQL test, since PostgreSQL refuses NUL in its text
 * columns and answered 500 before the edge refused it.
 */
import { expect } from 'vitest'
import { AccountSchema } from '../../shared/accounts.ts'
import { ApiErrorSchema } from '../../shared/api.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import type { Store } from '../../server/store/Store.ts'
import { createWorkshop, TEST_ORG_KEY, workshopFetch } from './startServer.ts'

/**
 * A NUL, the C0 controls a paste can carry, DEL and a C1 control; a right-to-left override, a
 * zero-width space, a first-strong isolate, a byte order mark and half a surrogate pair (QA q28c).
 */
export const CONTROL_CHARACTERS = ['\u0000', '\u0007', '\n', '\t', '\u001b', '\u007f', '\u0085', '\u202E', '\u200B', '\u2068', '\uFEFF', '\uD800'] as const

/** Sends every name-bearing body with `bad` inside a name and checks it is refused and nothing changes. */
export async function expectControlCharactersRefused(url: string, store: Store, bad: string): Promise<void> {
  const workshop = await createWorkshop(url, { account: `Ctl ${bad.codePointAt(0)} Corp`, title: 'FY27' })
  const accountId = (await store.findAccountByName(workshop.account))?.id ?? ''
  const snapshot = await workshopFetch(`${url}/api/workshops/${workshop.id}/snapshots`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
  const snapshotId = PlanRecordSchema.parse(await snapshot.json()).id

  const orgKey = { authorization: `Bearer ${TEST_ORG_KEY}`, 'content-type': 'application/json' }
  const requests: [string, string, Record<string, unknown>, Record<string, string>][] = [
    ['POST', '/api/workshops', { account: `Ac${bad}me`, title: 'FY27' }, orgKey],
    ['POST', '/api/workshops', { account: 'Acme', title: `FY${bad}27` }, orgKey],
    ['PATCH', `/api/workshops/${workshop.id}`, { title: `FY${bad}28` }, {}],
    ['PATCH', `/api/workshops/${workshop.id}`, { account: `Glo${bad}bex` }, {}],
    ['POST', '/api/accounts', { name: `Init${bad}ech` }, orgKey],
    ['POST', '/api/accounts', { name: 'Initech', keyAccountManager: `Da${bad}na` }, orgKey],
    ['PATCH', `/api/accounts/${accountId}`, { name: `Hoo${bad}li` }, orgKey],
    ['PATCH', `/api/accounts/${accountId}`, { segment: `Bank${bad}ing` }, orgKey],
    ['POST', `/api/accounts/${accountId}/workshops`, { title: `Q3${bad}` + ' review' }, orgKey],
    ['POST', `/api/workshops/${workshop.id}/snapshots`, { label: `Kick${bad}off` }, {}],
    ['PATCH', `/api/workshops/${workshop.id}/snapshots/${snapshotId}`, { label: `Signed${bad}` + ' off' }, {}],
  ]

  const state = async () => ({
    workshops: await store.listWorkshops(),
    accounts: await store.listAccounts(),
    snapshots: await store.listSnapshots(workshop.id),
  })
  const before = await state()
  for (const [method, pathname, body, headers] of requests) {
    const response = await workshopFetch(`${url}${pathname}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) })
    const what = `${method} ${pathname} ${JSON.stringify(body)}`
    expect(response.status, what).toBe(400)
    const error = ApiErrorSchema.parse(await response.json()).error
    expect(error.code, what).toBe('invalid_body')
    expect(error.message, what).toMatch(/control characters/)
  }
  expect(await state()).toEqual(before)
  // The account is still whole and readable.
  expect(AccountSchema.parse(await (await fetch(`${url}/api/accounts/${accountId}`, { headers: orgKey })).json()).name).toBe(workshop.account)
}
