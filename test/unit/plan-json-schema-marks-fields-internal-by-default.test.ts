/**
 * Issue 13: the published JSON Schema of the plan record marks which fields are internal by
 * default, derived from `DEFAULT_SENSITIVITY` (shared/sensitivity.ts), the one source of truth:
 * every plan field read from a card prop that is internal by default is marked, no visible one is,
 * and the only other marks are the whitespace board's money totals.
 */
import { expect, test } from 'vitest'
import { planJsonSchema } from '../../shared/plan.ts'
import { RELATIONSHIP_KINDS } from '../../shared/shapes.ts'
import { DEFAULT_SENSITIVITY, SENSITIVE_FIELDS } from '../../shared/sensitivity.ts'

type JsonSchema = { properties?: Record<string, JsonSchema>; items?: JsonSchema; [key: string]: unknown }
const MARK = 'x-keyplan-sensitivity'

const schema = planJsonSchema() as JsonSchema

/** The JSON Schema of one item of each plan section read from cards of a type. */
const ITEM_PATHS = {
  stakeholder: ['stakeholders', 'items'],
  action: ['actions', 'items'],
  objective: ['objectives', 'items'],
  whitespace: ['whitespace', 'cells', 'items'],
  competitor: ['competitors', 'items'],
} as const

function at(path: readonly string[]): JsonSchema {
  let node: JsonSchema | undefined = schema
  for (const step of path) node = step === 'items' ? node?.items : node?.properties?.[step]
  if (!node) throw new Error(`no schema at ${path.join('.')}`)
  return node
}

/** Every property path of the schema whose value carries the internal mark. */
function markedPaths(node: JsonSchema, path: string[] = []): string[] {
  const here = node[MARK] === 'internal' ? [path.join('.')] : []
  const below = Object.entries(node.properties ?? {}).flatMap(([key, child]) => markedPaths(child, [...path, key]))
  return [...here, ...below, ...(node.items ? markedPaths(node.items, [...path, 'items']) : [])]
}

test('every card field internal by default is marked internal in the plan JSON Schema, and no visible one is', () => {
  let checked = 0
  for (const field of SENSITIVE_FIELDS) {
    const [type, prop] = field.split('.') as [string, string] // every key is `<type>.<prop>`
    if (type === 'relationship') continue
    const item = at(ITEM_PATHS[type as keyof typeof ITEM_PATHS]) // the card types of DEFAULT_SENSITIVITY
    const property = item.properties?.[prop]
    expect(property, `${field} is a field of the plan`).toBeDefined()
    expect(property?.[MARK], field).toBe(DEFAULT_SENSITIVITY[field] === 'internal' ? 'internal' : undefined)
    checked++
  }
  expect(checked).toBeGreaterThan(20)
})

test('the only other marks are the whitespace money totals, computed from internal values', () => {
  const fromCards = SENSITIVE_FIELDS.filter((field) => DEFAULT_SENSITIVITY[field] === 'internal' && !field.startsWith('relationship.')).map((field) => {
    const [type, prop] = field.split('.') as [keyof typeof ITEM_PATHS, string] // card fields only
    return [...ITEM_PATHS[type], prop].join('.')
  })
  const totals = [
    'whitespace.opportunities.value',
    'whitespace.opportunities.weighted',
    'whitespace.opportunities.byRow.items.value',
    'whitespace.opportunities.byRow.items.weighted',
    'whitespace.shareOfWallet.items.ours',
    'whitespace.shareOfWallet.items.spend',
    'whitespace.shareOfWallet.items.share',
  ]
  expect(markedPaths(schema).sort()).toEqual([...fromCards, ...totals].sort())
})

test('relationship lines name the kinds that are internal by default, whole', () => {
  const kind = at(['relationships', 'items']).properties?.kind
  expect(kind?.['x-keyplan-internal-values']).toEqual(RELATIONSHIP_KINDS.filter((k) => DEFAULT_SENSITIVITY[`relationship.${k}`] === 'internal'))
  expect(kind?.['x-keyplan-internal-values']).toEqual(['influences', 'conflict', 'ally'])
})
