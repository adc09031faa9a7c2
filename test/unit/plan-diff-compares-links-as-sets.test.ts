import type { TLRecord } from '@tldraw/tlschema'
import { expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { diffPlans } from '../../shared/planDiff.ts'
import { action, boardStore, note, objective, planInput, swotFrames } from '../helpers/planBoards.ts'

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()

/** A plan whose objective o1 is served by a1 and a2, placed at the given heights on the action board. */
function snapshot(id: string, a1y: number, a2y: number, addresses: string[]): PlanRecord {
  const draft = extractPlan(
    planInput({
      swot: records(...swotFrames(), note('shape:t1', { x: 1100, y: 900 }, 'Globex price war'), note('shape:w1', { x: 1100, y: 100 }, 'Slow onboarding')),
      objectives: records(
        objective('shape:o1', { x: 20, y: 20 }, { objective: 'Grow revenue', addresses }),
        objective('shape:o2', { x: 400, y: 20 }, { objective: 'Raise NPS' }),
      ),
      actions: records(
        action('shape:a1', { x: 20, y: a1y }, { title: 'Pilot in Hamburg', objectives: ['shape:o1', 'shape:o2'] }),
        action('shape:a2', { x: 20, y: a2y }, { title: 'NPS review', objectives: ['shape:o2', 'shape:o1'] }),
      ),
    }),
  )
  return PlanRecordSchema.parse({ ...draft, id })
}

test('moving actions (which reorders an objective\'s actions) and relinking in another order is no change', () => {
  const older = snapshot('snap-1', 100, 300, ['shape:t1', 'shape:w1'])
  const newer = snapshot('snap-2', 300, 100, ['shape:w1', 'shape:t1'])
  // The reproduction: the same links, in another order.
  expect(older.objectives[0]?.actions).toEqual(['shape:a1', 'shape:a2'])
  expect(newer.objectives[0]?.actions).toEqual(['shape:a2', 'shape:a1'])
  const diff = diffPlans(newer, older)
  expect(diff.objectives).toEqual({ added: [], removed: [], changed: [] })
  expect(diff.actions).toEqual({ added: [], removed: [], changed: [] })
})

test('a link really added or removed still reads as a change', () => {
  const older = snapshot('snap-1', 100, 300, ['shape:t1'])
  const newer = snapshot('snap-2', 100, 300, ['shape:w1', 'shape:t1'])
  expect(diffPlans(newer, older).objectives?.changed).toEqual([
    { id: 'shape:o1', item: newer.objectives[0], changes: [{ field: 'addresses', before: 'shape:t1', after: 'shape:t1, shape:w1' }] },
  ])
})
