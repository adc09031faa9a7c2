/**
 * Who keeps a card field when several people start typing into it (client/board/fieldLocks.ts,
 * docs/decisions/006-concurrent-text.md): every page picks the same person, and a peer's malformed
 * claim is no claim.
 */
import type { TLInstancePresence } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { EDITING_META_KEY, claimOf, fieldHolder, type FieldHolder } from '../../client/board/fieldLocks.ts'

const peer = (userId: string, since: number): FieldHolder => ({ key: `instance_presence:${userId}`, userId, name: userId, color: '#000', since })

describe('one typist per field', () => {
  it('gives the field to whoever started first', () => {
    expect(fieldHolder({ since: 10 }, 'user:bob', [peer('user:alice', 12)])).toBe('me')
    expect(fieldHolder({ since: 12 }, 'user:bob', [peer('user:alice', 10)])).toMatchObject({ userId: 'user:alice' })
    expect(fieldHolder(null, 'user:bob', [peer('user:carl', 14), peer('user:alice', 10)])).toMatchObject({ userId: 'user:alice' })
    expect(fieldHolder(null, 'user:bob', [])).toBeNull()
  })

  it('picks the same person on both pages when both started in the same millisecond', () => {
    const onAlices = fieldHolder({ since: 10 }, 'user:alice', [peer('user:bob', 10)])
    const onBobs = fieldHolder({ since: 10 }, 'bob', [peer('user:alice', 10)])
    expect(onAlices).toBe('me')
    expect(onBobs).toMatchObject({ userId: 'user:alice' })
  })

  it('reads no claim from a presence whose claim is malformed', () => {
    const presence = (value: unknown) => ({ meta: { [EDITING_META_KEY]: value } }) as unknown as TLInstancePresence // only meta is read
    expect(claimOf(presence({ shapeId: 'shape:a', field: 'notes', since: 5 }))).toEqual({ shapeId: 'shape:a', field: 'notes', since: 5 })
    for (const bad of [null, 'shape:a', [], { shapeId: 'shape:a', field: 'notes' }, { shapeId: 1, field: 'notes', since: 5 }, { shapeId: 'shape:a', field: 'notes', since: Number.NaN }]) {
      expect(claimOf(presence(bad))).toBeNull()
    }
    expect(claimOf(JSON.parse('{"meta":{"__proto__":{"keyplanEditing":{"shapeId":"s","field":"f","since":1}}}}') as TLInstancePresence)).toBeNull()
  })
})
