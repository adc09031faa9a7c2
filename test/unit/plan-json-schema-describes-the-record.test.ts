import { expect, test } from 'vitest'
import { PLAN_SCHEMA_VERSION, planJsonSchema } from '../../shared/plan.ts'

test('the published JSON Schema describes every section of the plan record', () => {
  const schema = planJsonSchema() as {
    $schema: string
    properties: Record<string, { const?: unknown; format?: string; properties?: Record<string, unknown> }>
    required: string[]
  }
  expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema')
  expect(schema.properties.schemaVersion?.const).toBe(PLAN_SCHEMA_VERSION)
  expect(schema.properties.takenAt?.format).toBe('date-time')
  const sections = ['swot', 'stakeholders', 'relationships', 'actions', 'warnings']
  for (const key of ['id', 'workshopId', 'account', 'title', 'trigger', 'label', 'participants', ...sections]) {
    expect(schema.required).toContain(key)
  }
  expect(Object.keys(schema.properties.swot?.properties ?? {})).toEqual(['strengths', 'weaknesses', 'opportunities', 'threats', 'unsorted'])
  // Serialisable as is, for GET /api/schema/plan.json.
  expect(JSON.parse(JSON.stringify(schema))).toEqual(schema)
})
