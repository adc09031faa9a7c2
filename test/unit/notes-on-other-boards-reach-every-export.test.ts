/**
 * [P17] QA q36b: a sticky note on the stakeholder map ("budget frozen until Q3" by the CFO's card),
 * the action plan or the whitespace board was in no export: the plan read only the cards there.
 * Now the plan lists the notes of every board but the SWOT, with their board, in reading order;
 * Markdown shows them under their board's section, the CSV lists them, the diff compares them, and
 * a guest's view keeps only those of shared boards and none marked internal.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { describe, expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { customerView } from '../../shared/customerView.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema, migratePlanRecord, type PlanRecord } from '../../shared/plan.ts'
import { boardNotesCsv } from '../../shared/planCsv.ts'
import { diffPlans } from '../../shared/planDiff.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { DEFAULT_SENSITIVITY } from '../../shared/sensitivity.ts'
import { action, axisHeader, boardStore, geo, note, planInput, stakeholder, swotFrames, text, whitespaceCell } from '../helpers/planBoards.ts'

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()

function boards(extra: { budget?: string } = {}) {
  return {
    swot: records(...swotFrames(), note('shape:swot-n', { x: 100, y: 100 }, 'Strong brand')),
    stakeholders: records(
      stakeholder('shape:cfo', { x: 0, y: 0 }, { name: 'Dana Ortiz' }),
      note('shape:budget', { x: 300, y: 0 }, extra.budget ?? 'Budget frozen until Q3'),
      text('shape:ask', { x: 0, y: 400 }, 200, 'Ask about the reorg'),
      note('shape:empty', { x: 600, y: 0 }, '   '),
    ),
    actions: records(action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal' }), geo('shape:procurement', { x: 600, y: 100 }, 200, 100, 'Procurement signs off')),
    whitespace: records(axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Logistics'), whitespaceCell('shape:c1', { x: 300, y: 200 }, { kind: 'we_supply' }), note('shape:ws-n', { x: 2000, y: 2000 }, 'Check the 2028 contract')),
  }
}

function plan(extra: { budget?: string } = {}, id = 'snap-1'): PlanRecord {
  return PlanRecordSchema.parse({ ...extractPlan(planInput(boards(extra))), id })
}

describe('notes on the boards other than the SWOT', () => {
  test('are in the plan with their board, in reading order; not the SWOT notes, the whitespace headers or empty notes', () => {
    const record = plan()
    expect(record.notes).toEqual([
      { id: 'shape:budget', board: 'stakeholders', text: 'Budget frozen until Q3' },
      { id: 'shape:ask', board: 'stakeholders', text: 'Ask about the reorg' },
      { id: 'shape:procurement', board: 'actions', text: 'Procurement signs off' },
      { id: 'shape:ws-n', board: 'whitespace', text: 'Check the 2028 contract' },
    ])
    expect(record.swot.strengths.map((item) => item.text)).toEqual(['Strong brand'])
  })

  test('Markdown lists them under their board, the CSV one per row', () => {
    const record = plan()
    const markdown = planMarkdown(record)
    const section = (heading: string) => {
      const at = markdown.indexOf(`\n${heading}\n`)
      expect(at).toBeGreaterThan(-1)
      const next = markdown.indexOf('\n## ', at + 1)
      return markdown.slice(at, next === -1 ? undefined : next)
    }
    expect(section('## Relationships')).toContain('### Notes on the board\n\n- Budget frozen until Q3\n- Ask about the reorg')
    expect(section('## Actions')).toContain('- Procurement signs off')
    expect(section('## Competitors')).toContain('- Check the 2028 contract')
    expect(markdown.match(/Notes on the board/g)).toHaveLength(3)
    const csv = boardNotesCsv({ notes: record.notes ?? [] })
    expect(csv.split('\r\n')).toEqual([
      'Board,Id,Text,Author',
      'Stakeholder map,shape:budget,Budget frozen until Q3,',
      'Stakeholder map,shape:ask,Ask about the reorg,',
      'Action plan,shape:procurement,Procurement signs off,',
      expect.stringMatching(/^Whitespace.*,shape:ws-n,Check the 2028 contract,$/),
      '',
    ])
  })

  test('a guest gets the notes of shared boards only, none marked internal', () => {
    const record = plan()
    const flags = { swot: false, stakeholders: true, objectives: false, actions: false, whitespace: false }
    const view = customerSafePlan(customerView(record, flags), DEFAULT_SENSITIVITY, new Set(['shape:ask']))
    expect(view.notes).toEqual([{ id: 'shape:budget', board: 'stakeholders', text: 'Budget frozen until Q3' }])
    const markdown = planMarkdown(view)
    expect(markdown).toContain('Budget frozen until Q3')
    for (const hidden of ['Ask about the reorg', 'Procurement signs off', 'Check the 2028 contract']) expect(markdown).not.toContain(hidden)
  })

  test('the diff compares them by id: added, changed, removed', () => {
    const older = plan({}, 'snap-1')
    const newer = PlanRecordSchema.parse({
      ...plan({ budget: 'Budget released in May' }, 'snap-2'),
      notes: [...(plan({ budget: 'Budget released in May' }).notes ?? []).filter((n) => n.id !== 'shape:ws-n'), { id: 'shape:new', board: 'actions', text: 'Call legal' }],
    })
    const diff = diffPlans(newer, older)
    expect(diff.notes?.added.map((n) => n.id)).toEqual(['shape:new'])
    expect(diff.notes?.removed.map((n) => n.id)).toEqual(['shape:ws-n'])
    expect(diff.notes?.changed).toEqual([
      { id: 'shape:budget', item: expect.objectContaining({ text: 'Budget released in May' }), changes: [{ field: 'text', before: 'Budget frozen until Q3', after: 'Budget released in May' }] },
    ])
  })

  test('a plan stored before notes were read has none, and still parses', () => {
    const { notes: _notes, ...before } = plan()
    const stored = PlanRecordSchema.parse(migratePlanRecord(JSON.parse(JSON.stringify(before))))
    expect(stored.notes).toBeUndefined()
    expect(planMarkdown(stored)).not.toContain('Notes on the board')
    expect(diffPlans(plan(), stored).notes).toBeUndefined()
  })
})
