/**
 * A whitespace cell's plan holds only the fields its kind shows on the board ([P14], QA q33b
 * finding 5): a "Not relevant" cell that was an opportunity of 500,000 at 75 % has no value in the
 * plan JSON, the Whitespace CSV or the Markdown (its side panel has no value field, so nobody
 * could see or clear it); and a kind changed in the side panel clears the money fields whose
 * meaning changes, so an opportunity's estimate does not become our revenue.
 */
import { expect, test } from 'vitest'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { kindChange, WHITESPACE_KIND_FIELDS } from '../../shared/shapes.ts'
import { axisHeader, competitor, whitespaceCell } from '../helpers/planBoards.ts'
import { planOfBoard } from '../helpers/planOfBoard.ts'

const fixture = planOfBoard('whitespace', [
    axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Customs'),
    axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Insurance'),
    axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Brokerage'),
    // Props as a kind change by a page before this fix left them: the opportunity's money kept.
    whitespaceCell('shape:c1', { x: 300, y: 200 }, { kind: 'not_relevant', value: 500_000, probability: 75, competitor: 'Globex' }),
    whitespaceCell('shape:c2', { x: 600, y: 200 }, { kind: 'we_supply', value: 120_000, probability: 75 }),
    competitor('shape:g1', { x: 2000, y: 100 }, { name: 'Globex' }),
])


test('the plan JSON leaves out what the cell\'s kind does not show', () => {
  expect(fixture.plan.whitespace.cells.map(({ id, kind, competitor, value, probability }) => ({ id, kind, competitor, value, probability }))).toEqual([
    { id: 'shape:c1', kind: 'not_relevant', competitor: '', value: null, probability: null },
    { id: 'shape:c2', kind: 'we_supply', competitor: '', value: 120_000, probability: null },
  ])
  expect(fixture.plan.competitors[0]?.cells).toEqual([])
})

test('the Whitespace CSV has no value for the "Not relevant" cell', async () => {
  const rows = (await (await fixture.api(`/snapshots/${fixture.plan.id}/whitespace.csv`)).text()).split('\r\n')
  expect(rows.slice(1)).toEqual(['shape:c1,Customs,Insurance,Not relevant,,,,', 'shape:c2,Customs,Brokerage,We supply,,120000,,', ''])
})

test('the JSON export has no value for it either', async () => {
  const exported = PlanRecordSchema.parse(await (await fixture.api(`/snapshots/${fixture.plan.id}`)).json())
  expect(exported.whitespace.cells.find((cell) => cell.id === 'shape:c1')?.value).toBeNull()
})

test('a kind changed in the side panel clears the money whose meaning changes; the same kind keeps it', () => {
  expect(kindChange({ kind: 'opportunity' }, 'we_supply')).toEqual({ kind: 'we_supply', value: null, probability: null })
  expect(kindChange({ kind: 'we_supply' }, 'competitor')).toEqual({ kind: 'competitor', value: null, probability: null })
  expect(kindChange({ kind: 'opportunity' }, 'opportunity')).toEqual({ kind: 'opportunity' })
  expect(WHITESPACE_KIND_FIELDS.not_relevant).toEqual([])
})
