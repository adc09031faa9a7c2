// shared/lazySchema.ts: a schema built on first use must validate, compose and describe itself
// exactly as the same schema built at once.
import { expect, test } from 'vitest'
import { z } from 'zod'
import { lazySchema, lazySchemaCounts } from '../../shared/lazySchema.ts'

const eagerName = z.string().trim().min(1).describe('A display name')
const eagerItem = z.object({ id: z.string().regex(/^shape:/), name: eagerName, tags: z.array(z.enum(['a', 'b'])) })

test('nothing is built until the schema is read, then once', () => {
  const before = lazySchemaCounts()
  let builds = 0
  const Lazy = lazySchema(() => {
    builds++
    return z.string()
  })
  expect(lazySchemaCounts()).toEqual({ declared: before.declared + 1, built: before.built })
  expect(builds).toBe(0)
  expect(Lazy.parse('x')).toBe('x')
  expect(Lazy.safeParse(1).success).toBe(false)
  expect(builds).toBe(1)
  expect(lazySchemaCounts().built).toBe(before.built + 1)
})

test('parses, refuses and reports errors like the eager schema, alone and inside others', () => {
  const Name = lazySchema(() => z.string().trim().min(1).describe('A display name'))
  const Item = lazySchema(() => z.object({ id: z.string().regex(/^shape:/), name: Name, tags: z.array(z.enum(['a', 'b'])) }))
  const inputs = [
    { id: 'shape:1', name: '  Anna ', tags: ['a'] },
    { id: 'note:1', name: '', tags: ['c'] },
    { id: 'shape:2', name: 3, extra: true },
    'not an object',
  ]
  for (const input of inputs) {
    const lazy = Item.safeParse(input)
    const eager = eagerItem.safeParse(input)
    expect(lazy.success).toBe(eager.success)
    expect(lazy.data).toEqual(eager.data)
    expect(lazy.error?.issues).toEqual(eager.error?.issues)
  }
  // Composed by callers: inside another schema, optional, extended, its shape read.
  const Wrapper = z.object({ items: z.array(Item).optional() })
  expect(Wrapper.parse({ items: [{ id: 'shape:1', name: 'A', tags: [] }] })).toEqual({ items: [{ id: 'shape:1', name: 'A', tags: [] }] })
  expect(Wrapper.safeParse({ items: [{ id: 'x', name: 'A', tags: [] }] }).success).toBe(false)
  expect(Object.keys(Item.shape)).toEqual(['id', 'name', 'tags'])
  expect(Item.extend({ n: z.number() }).safeParse({ id: 'shape:1', name: 'A', tags: [], n: 1 }).success).toBe(true)
  expect(Item instanceof z.ZodObject).toBe(true)
  expect(() => Item.parse({})).toThrow(z.ZodError)
})

test('JSON Schema of a parent holding it keeps its description', () => {
  const Name = lazySchema(() => z.string().trim().min(1).describe('A display name'))
  const lazyJson = z.toJSONSchema(z.object({ name: Name, other: Name.optional() }))
  const eagerJson = z.toJSONSchema(z.object({ name: eagerName, other: eagerName.optional() }))
  expect(lazyJson).toEqual(eagerJson)
  expect(JSON.stringify(lazyJson)).toContain('A display name')
})
