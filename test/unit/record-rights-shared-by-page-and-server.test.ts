/**
 * [R4], [R5], [R7] The rights the page and the server share (`shared/recordRights.ts`).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { CREATOR_META_KEY, creatorOf, creatorStamp, isStampOf, mayChangeTemplates, mayDeleteRecord, templateRecordIds } from '../../shared/recordRights.ts'
import { participantKeyId } from '../../shared/participantKey.ts'
import { RoleSchema } from '../../shared/roles.ts'
import { ACTION_COLUMNS, SWOT_FRAMES } from '../../shared/templates.ts'

const eve = { role: 'guest' as const, userId: 'user:eve', keyId: participantKeyId('eve-browser-secret-0123456789') }
const noteBy = (stamp: unknown): JsonObject => ({ id: 'shape:n', typeName: 'shape', meta: stamp === undefined ? {} : { [CREATOR_META_KEY]: stamp as JsonObject } })

test('records without a well-formed stamp count as created by the team', () => {
  expect(creatorOf(noteBy(undefined))).toEqual({ role: 'team', userId: '' })
  expect(creatorOf(noteBy({ role: 'owner', userId: 'user:x' }))).toEqual({ role: 'team', userId: '' })
  expect(creatorOf(noteBy(creatorStamp(eve)))).toEqual(eve)
})

test('a stamp names exactly one editor', () => {
  expect(isStampOf(creatorStamp(eve), eve)).toBe(true)
  expect(isStampOf({ ...creatorStamp(eve), extra: 1 }, eve)).toBe(false)
  expect(isStampOf(creatorStamp(eve), { role: 'team', userId: 'user:eve' })).toBe(false)
  // The key id is the editor's own, or left out; an editor without a key names none.
  expect(isStampOf({ role: 'guest', userId: 'user:eve' }, eve)).toBe(true)
  expect(isStampOf(creatorStamp(eve), { role: 'guest', userId: 'user:eve' })).toBe(false)
  expect(isStampOf({ ...creatorStamp(eve), keyId: participantKeyId('another-secret-0123456789') }, eve)).toBe(false)
})

test('the key id is a SHA-256 of the key, 43 URL-safe characters, never the key itself', () => {
  const keyId = participantKeyId('eve-browser-secret-0123456789')
  expect(keyId).toMatch(/^[A-Za-z0-9_-]{43}$/)
  expect(keyId).toBe(participantKeyId('eve-browser-secret-0123456789'))
  expect(keyId).not.toBe(participantKeyId('eve-browser-secret-0123456780'))
})

test('a guest deletes only what that guest created; team and facilitator delete any content; viewers nothing', () => {
  expect(mayDeleteRecord(eve, noteBy(creatorStamp(eve)))).toBe(true)
  expect(mayDeleteRecord(eve, noteBy(creatorStamp({ role: 'guest', userId: 'user:bob' })))).toBe(false)
  // [R7] the user id is public: without the key the record was stamped with, no guest deletes it.
  expect(mayDeleteRecord({ role: 'guest', userId: 'user:eve' }, noteBy(creatorStamp(eve)))).toBe(false)
  expect(mayDeleteRecord({ ...eve, keyId: participantKeyId('another-secret-0123456789') }, noteBy(creatorStamp(eve)))).toBe(false)
  expect(mayDeleteRecord(eve, noteBy({ role: 'guest', userId: 'user:eve' }))).toBe(false)
  expect(mayDeleteRecord(eve, noteBy(undefined))).toBe(false)
  expect(mayDeleteRecord({ role: 'team', userId: 'user:tom' }, noteBy(creatorStamp(eve)))).toBe(true)
  expect(mayDeleteRecord({ role: 'facilitator', userId: 'user:fay' }, noteBy(undefined))).toBe(true)
  expect(mayDeleteRecord({ role: 'viewer', userId: 'user:vic' }, noteBy(undefined))).toBe(false)
})

test('templates are the board page, document and frames, changed by the facilitator only', () => {
  expect([...templateRecordIds('swot')].sort()).toEqual(['document:document', 'page:page', ...Object.values(SWOT_FRAMES).map((f) => f.id)].sort())
  expect(templateRecordIds('actions').has(ACTION_COLUMNS.done.id)).toBe(true)
  expect([...templateRecordIds('stakeholders')].sort()).toEqual(['document:document', 'page:page'])
  expect(['facilitator', 'team', 'viewer', 'guest'].filter((r) => mayChangeTemplates(RoleSchema.parse(r)))).toEqual(['facilitator'])
})
