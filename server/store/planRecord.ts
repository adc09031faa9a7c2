/**
 * [S18] A plan record validated before it is stored, part by part, and its JSON. A live board
 * unchanged since the last snapshot gives the next plan the very section objects of the last one,
 * and a changed board mostly the very items (`extractPlan` reuses them; nothing changes them once
 * extracted): such a part, validated for an earlier plan, is not validated or serialised again.
 * An item of a list that is a new object but equal to the item of the same id validated for the
 * last plan (e.g. an objective linked anew) takes that item's validated value and JSON. Anything
 * else (a plan read from a request or from storage) is validated whole, as `PlanRecordSchema.parse`
 * would, and gives the same value, issues and JSON text.
 */
import type { JsonValue } from '@tldraw/utils'
import { z } from 'zod'
import { jsonEqual } from '../../shared/FieldIndex.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'

/**
 * A part of a plan as validated by `schema`, and its JSON: as text (`text`), as UTF-8 (`utf8`), or,
 * for an object, as its fields' (`fields`: each key's JSON and the field's part), joined only when
 * asked for. The whole record is wanted as UTF-8 (the SQLite row and the response to
 * `POST /snapshots`): a list keeps its bytes, encoded once while the list is reused, and the record's
 * bytes are its fields' copied once, with no 2 MB text joined and encoded again on the way.
 */
type Checked = { schema: z.ZodType; value: unknown; text?: string; utf8?: Buffer<ArrayBuffer>; fields?: Array<[key: string, part: Checked]> }

/** By an object of a plan validated earlier (a section, a list, an item): that part as validated. */
const checkedParts = new WeakMap<object, Checked>()

/** By list schema, the items of the last list it validated, by their id. */
const lastItems = new WeakMap<z.ZodType, Map<string, Checked>>()

/** The part's JSON text. */
function jsonOf(part: Checked): string {
  if (part.text !== undefined) return part.text
  if (part.fields) return `{${part.fields.map(([key, field]) => `${key}:${jsonOf(field)}`).join(',')}}`
  return part.utf8?.toString('utf8') ?? 'null'
}

/** The part's JSON as UTF-8, in pieces (`out`): an object's fields', a list's own bytes (kept). */
function utf8Pieces(part: Checked, out: Array<Buffer<ArrayBuffer>>): void {
  if (part.fields) {
    let text = '{'
    part.fields.forEach(([key, field], i) => {
      text += `${i > 0 ? ',' : ''}${key}:`
      if (typeof field.value !== 'object' || field.value === null) {
        text += jsonOf(field) // a scalar: a few bytes, encoded with the keys around it
        return
      }
      out.push(Buffer.from(text))
      text = ''
      utf8Pieces(field, out)
    })
    out.push(Buffer.from(`${text}}`))
    return
  }
  if (part.utf8 === undefined) {
    part.utf8 = Buffer.from(jsonOf(part))
    // The bytes stand for the text from now on (decoded again only on request).
    delete part.text
  }
  out.push(part.utf8)
}

/** The part's JSON as one UTF-8 buffer, kept on the part (the record's: the row and the response). */
function utf8Of(part: Checked): Buffer<ArrayBuffer> {
  if (part.utf8 !== undefined) return part.utf8
  const pieces: Array<Buffer<ArrayBuffer>> = []
  utf8Pieces(part, pieces)
  part.utf8 = pieces.length === 1 && pieces[0] ? pieces[0] : Buffer.concat(pieces)
  return part.utf8
}

/** A checked plan record: the record, and its JSON as text or UTF-8 (the same JSON). */
export type CheckedPlanRecord = { plan: PlanRecord; readonly json: string; utf8(): Buffer<ArrayBuffer> }

/**
 * The plan validated with `PlanRecordSchema` (throws its `ZodError`, the paths from the record's
 * root) and its JSON, the same text `JSON.stringify` gives for the validated record.
 */
export function checkPlanRecord(plan: unknown): CheckedPlanRecord {
  const issues: z.core.$ZodIssue[] = []
  const checked = check(PlanRecordSchema, plan, [], issues)
  if (!checked || issues.length > 0) throw new z.ZodError(issues)
  return {
    plan: checked.value as PlanRecord, // validated by PlanRecordSchema, part by part
    get json() {
      return jsonOf(checked)
    },
    utf8: () => utf8Of(checked),
  }
}

/**
 * `value` validated by `schema`, or undefined with its issues added. Objects and lists of plain
 * object and array schemas (no checks, no catch-all) are validated part by part down to the items
 * of lists, so parts validated earlier are recognised; anything else by the schema itself.
 */
function check(schema: z.ZodType, value: unknown, path: PropertyKey[], issues: z.core.$ZodIssue[], whole = false): Checked | undefined {
  const isObject = typeof value === 'object' && value !== null
  const known = isObject ? checkedParts.get(value) : undefined
  if (known && known.schema === schema) return known
  const before = issues.length
  let checked: Checked | undefined
  // A list item (`whole`) is parsed at once: cheaper than judging its few fields one by one.
  if (!whole && schema instanceof z.ZodArray && Array.isArray(value) && plain(schema)) {
    checked = checkList(schema, value, path, issues)
  } else if (!whole && schema instanceof z.ZodObject && isObject && !Array.isArray(value) && plain(schema) && schema._zod.def.catchall === undefined) {
    const input = value as Record<string, unknown> // an object; each field is judged by its schema below
    const output: Record<string, unknown> = {}
    const fields: Array<[string, Checked]> = []
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const one = check(field, input[key], [...path, key], issues)
      if (!one || one.value === undefined) continue
      output[key] = one.value
      fields.push([JSON.stringify(key), one])
    }
    checked = { schema, value: output, fields }
  }
  if (!checked && issues.length === before) {
    const result = schema.safeParse(value)
    if (result.success) checked = { schema, value: result.data, text: JSON.stringify(result.data) ?? 'null' }
    else issues.push(...result.error.issues.map((issue) => ({ ...issue, path: [...path, ...issue.path] })))
  }
  if (!checked || issues.length > before) return undefined
  if (isObject) checkedParts.set(value, checked)
  return checked
}

function checkList(schema: z.ZodArray, list: readonly unknown[], path: PropertyKey[], issues: z.core.$ZodIssue[]): Checked | undefined {
  const item = schema.element as z.ZodType // the list's item schema
  const last = lastItems.get(schema)
  const now = new Map<string, Checked>()
  const values: unknown[] = []
  const parts: string[] = []
  list.forEach((raw, i) => {
    const id = typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string' ? raw.id : undefined
    const same = id !== undefined ? last?.get(id) : undefined
    const one = same && !checkedParts.has(raw as object) && jsonEqual(same.value as JsonValue, raw as JsonValue) ? same : check(item, raw, [...path, i], issues, true) // compared as JSON: anything else is unequal
    if (!one) return
    values.push(one.value)
    parts.push(jsonOf(one))
    if (id !== undefined) now.set(id, one)
  })
  lastItems.set(schema, now)
  return { schema, value: values, text: `[${parts.join(',')}]` }
}

/** A schema without refinements of its own. */
function plain(schema: z.ZodType): boolean {
  return (schema._zod.def.checks?.length ?? 0) === 0
}

/**
 * The JSON of a plan record as UTF-8: the record an earlier {@link checkPlanRecord} checked (the
 * response to a snapshot is the record just stored) gives the very bytes the store wrote; parts it
 * serialised are not serialised again.
 */
export function planRecordUtf8(plan: PlanRecord): Buffer<ArrayBuffer> {
  const whole = checkedParts.get(plan)
  if (whole?.schema === PlanRecordSchema) return utf8Of(whole)
  const parts: string[] = []
  for (const key of Object.keys(PlanRecordSchema.shape) as (keyof PlanRecord)[]) {
    const value: unknown = plan[key]
    if (value === undefined) continue
    const known = typeof value === 'object' && value !== null ? checkedParts.get(value) : undefined
    parts.push(`${JSON.stringify(key)}:${known ? jsonOf(known) : JSON.stringify(value)}`)
  }
  return Buffer.from(`{${parts.join(',')}}`)
}
