/**
 * [S18] A plan record validated before it is stored, section by section, and its JSON. A live
 * board unchanged since the last snapshot gives the next plan the very section objects of the last
 * one (`extractPlan` reuses them; nothing changes them once extracted): such a section, validated
 * for an earlier plan, is not validated or serialised again. Anything else (a new section object, a
 * plan read from a request or from storage) is validated whole, as `PlanRecordSchema.parse` would.
 */
import { z } from 'zod'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'

/** By a section object of a plan validated earlier: that section as validated, and its JSON. */
const checkedSections = new WeakMap<object, { value: unknown; json: string }>()

const FIELDS = Object.entries(PlanRecordSchema.shape) as [keyof PlanRecord, z.ZodType][]

/**
 * The plan validated with `PlanRecordSchema` (throws its `ZodError`, the paths from the record's
 * root) and its JSON, the same text `JSON.stringify` gives for the validated record.
 */
export function checkPlanRecord(plan: unknown): { plan: PlanRecord; json: string } {
  if (typeof plan !== 'object' || plan === null || Array.isArray(plan)) return withJson(PlanRecordSchema.parse(plan))
  const input = plan as Record<string, unknown> // an object; each field is judged below
  const output: Record<string, unknown> = {}
  const parts: string[] = []
  const issues: z.core.$ZodIssue[] = []
  for (const [key, schema] of FIELDS) {
    const value = input[key]
    const known = typeof value === 'object' && value !== null ? checkedSections.get(value) : undefined
    if (known) {
      output[key] = known.value
      parts.push(`${JSON.stringify(key)}:${known.json}`)
      continue
    }
    const result = schema.safeParse(value)
    if (!result.success) {
      issues.push(...result.error.issues.map((issue) => ({ ...issue, path: [key, ...issue.path] })))
      continue
    }
    const json = JSON.stringify(result.data)
    if (typeof value === 'object' && value !== null) checkedSections.set(value, { value: result.data, json })
    output[key] = result.data
    parts.push(`${JSON.stringify(key)}:${json}`)
  }
  if (issues.length > 0) throw new z.ZodError(issues)
  return { plan: output as PlanRecord, json: `{${parts.join(',')}}` } // every field validated by its schema above
}

/**
 * The JSON of a plan record: the sections an earlier {@link checkPlanRecord} serialised are not
 * serialised again (the response to a snapshot is the record just stored).
 */
export function planRecordJson(plan: PlanRecord): string {
  const parts: string[] = []
  for (const [key] of FIELDS) {
    const value: unknown = plan[key]
    if (value === undefined) continue
    const known = typeof value === 'object' && value !== null ? checkedSections.get(value) : undefined
    parts.push(`${JSON.stringify(key)}:${known ? known.json : JSON.stringify(value)}`)
  }
  return `{${parts.join(',')}}`
}

function withJson(plan: PlanRecord): { plan: PlanRecord; json: string } {
  return { plan, json: JSON.stringify(plan) }
}
