/**
 * [R4], [R5], [R7] The rights the page and the server share (`shared/recordRights.ts`).
 */
import type { JsonObject } from '@tldraw/utils'
import { expect, test } from 'vitest'
import { CREATOR_META_KEY, creatorOf, creatorStamp, isStampOf, mayChangeTemplates, mayDeleteRecord, templateRecordIds } from '../../shared/recordRights.ts'
import { RoleSchema } from '../../shared/roles.ts'
import { ACTION_COLUMNS, SWOT_FRAMES } from '../../shared/templates.ts'

const eve = { role: 'guest' as const, userId: 'user:eve' }
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
})

test('a guest deletes only what that guest created; team and facilitator delete any content; viewers nothing', () => {
  expect(mayDeleteRecord(eve, noteBy(creatorStamp(eve)))).toBe(true)
  expect(mayDeleteRecord(eve, noteBy(creatorStamp({ role: 'guest', userId: 'user:bob' })))).toBe(false)
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
