/**
 * QA q36b: a stakeholder card nobody had assessed read "Medium influence" and "Neutral" on the board,
 * in the plan and in every export, as if the team had judged so. Now a new card's influence and
 * attitude are null (not assessed), as its buying role was: the plan says null, Markdown "—", the
 * PDF "influence not assessed". The shared document keeps Medium and Neutral as the stand-ins of
 * internal fields, as every stored board does; a card's null goes to the internal part's overlay,
 * and a guest's new card, which holds null there, is no leak. A page of the version before reads
 * an unassessed person as Medium and Neutral (the props migration down).
 */
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { describe, expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { defaultStakeholderCardProps, stakeholderCardVersions } from '../../shared/shapes.ts'
import { leakedProps, mergeOverlay, resolveSensitivity, splitRecord } from '../../shared/sensitivity.ts'
import { planPdf } from '../../server/snapshot/planPdf.ts'
import { boardStore, planInput, stakeholder } from '../helpers/planBoards.ts'
import { pdfText } from '../helpers/pdfText.ts'

const sensitivity = resolveSensitivity(undefined)

function plan() {
  const records = boardStore([
    stakeholder('shape:new', { x: 0, y: 0 }, { name: 'Nora New' }),
    stakeholder('shape:judged', { x: 400, y: 0 }, { name: 'Jon Judged', influence: 'high', attitude: 'blocker' }),
  ]).allRecords()
  return PlanRecordSchema.parse({ ...extractPlan(planInput({ stakeholders: records })), id: 'snap-1' })
}

describe('a stakeholder nobody assessed', () => {
  test('a new card has no influence or attitude, and the plan says so', () => {
    expect(defaultStakeholderCardProps()).toMatchObject({ buyingRole: null, influence: null, attitude: null })
    const record = plan()
    expect(record.stakeholders.find((s) => s.id === 'shape:new')).toMatchObject({ influence: null, attitude: null })
    expect(record.stakeholders.find((s) => s.id === 'shape:judged')).toMatchObject({ influence: 'high', attitude: 'blocker' })
  })

  test('Markdown shows a dash, the PDF "not assessed", never Medium or Neutral', async () => {
    const record = plan()
    const markdown = planMarkdown(record)
    const row = markdown.split('\n').find((line) => line.startsWith('| Nora New'))
    expect(row).toBe('| Nora New | — | — | — | — | — | — |  |')
    expect(markdown).not.toMatch(/Medium|Neutral/)
    const pdf = pdfText(await planPdf(record, { timeZone: 'UTC', health: null })).lines.join('\n')
    expect(pdf).toContain('Nora New — role not assessed; influence not assessed; attitude not assessed')
    expect(pdf).not.toMatch(/medium|neutral/i)
    // Assessed people first.
    expect(pdf.indexOf('Jon Judged')).toBeLessThan(pdf.indexOf('Nora New'))
  })

  test('the shared part keeps the stand-ins, the overlay the null; merged, the team reads null', () => {
    const card = stakeholder('shape:new', { x: 0, y: 0 }, { name: 'Nora New' }) as unknown as JsonObject // tldraw records are JSON
    const { shared, overlay } = splitRecord(card, sensitivity)
    expect(shared.props).toMatchObject({ influence: 'medium', attitude: 'neutral' })
    expect(overlay.get('props.influence')).toBe(null)
    expect(overlay.get('props.attitude')).toBe(null)
    expect(leakedProps(shared, sensitivity)).toEqual([])
    expect(mergeOverlay(shared, overlay, sensitivity).props).toMatchObject({ influence: null, attitude: null })
  })

  test("a guest's new card holds null in the shared part: no leak; a value other than the stand-in still is", () => {
    const guestCard = stakeholder('shape:guest', { x: 0, y: 0 }, { name: 'Gail Guest' }) as unknown as JsonObject // tldraw records are JSON
    expect((guestCard.props as JsonObject).influence).toBe(null)
    expect(leakedProps(guestCard, sensitivity)).toEqual([])
    const judged = stakeholder('shape:leak', { x: 0, y: 0 }, { influence: 'high', attitude: null }) as unknown as JsonObject // tldraw records are JSON
    expect(leakedProps(judged, sensitivity)).toEqual(['influence'])
  })

  test('the props migration: up keeps what cards held; down gives a page of the version before Medium and Neutral', () => {
    const schema = createKeyplanSchema()
    const record = stakeholder('shape:new', { x: 0, y: 0 }, { name: 'Nora New' })
    const serialized = schema.serialize()
    const before = { ...serialized, sequences: { ...serialized.sequences, 'com.tldraw.shape.stakeholder': 0 } }
    const down = schema.migratePersistedRecord(record, before, 'down')
    expect(down.type).toBe('success')
    expect((down as { value: { props: Record<string, JsonValue> } }).value.props).toMatchObject({ influence: 'medium', attitude: 'neutral' })
    const old = stakeholder('shape:old', { x: 0, y: 0 }, { name: 'Olga Old', influence: 'low', attitude: 'supporter' })
    const up = schema.migratePersistedRecord(old, before, 'up')
    expect((up as { value: { props: Record<string, JsonValue> } }).value.props).toMatchObject({ influence: 'low', attitude: 'supporter' })
    expect(stakeholderCardVersions.Unassessed).toBe('com.tldraw.shape.stakeholder/1')
  })
})
