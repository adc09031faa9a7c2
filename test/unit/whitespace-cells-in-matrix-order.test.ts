import type { TLRecord } from '@tldraw/tlschema'
import { expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema } from '../../shared/plan.ts'
import { cellsInMatrixOrder } from '../../shared/whitespaceOrder.ts'
import { axisHeader, boardStore, planInput, whitespaceCell } from '../helpers/planBoards.ts'

const records = (...shapes: TLRecord[]) => boardStore(shapes).allRecords()

test('the review lists whitespace cells by unit (rows top to bottom), then offering (columns left to right), placeless cells last', () => {
  const plan = PlanRecordSchema.parse({
    ...extractPlan(
      planInput({
        whitespace: records(
          axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Parcel services'),
          axisHeader('shape:r2', 'row', { x: 0, y: 400 }, 'Contract logistics'),
          axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Warehouse robotics'),
          axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Fleet telematics'),
          // Props name the place (as cards dropped on the board do): the reading order is not the matrix order.
          whitespaceCell('shape:c1', { x: 5000, y: 100 }, { row: 'Contract logistics', column: 'Fleet telematics', kind: 'competitor', competitor: 'Globex' }),
          whitespaceCell('shape:c2', { x: 5000, y: 200 }, { row: 'Parcel services', column: 'Fleet telematics', kind: 'we_supply' }),
          whitespaceCell('shape:c3', { x: 5000, y: 300 }, { row: 'Contract logistics', column: 'Warehouse robotics', kind: 'not_relevant' }),
          whitespaceCell('shape:c4', { x: 5000, y: 400 }, { kind: 'opportunity', value: 1 }),
          whitespaceCell('shape:c5', { x: 5000, y: 500 }, { row: 'Parcel services', column: 'Warehouse robotics', kind: 'opportunity' }),
        ),
      }),
    ),
    id: 'snap-1',
  })
  // The plan keeps reading order (c1 first), which is not the matrix's.
  expect(plan.whitespace.cells[0]?.id).toBe('shape:c1')
  expect(plan.whitespace.rows).toEqual(['Parcel services', 'Contract logistics'])
  expect(plan.whitespace.columns).toEqual(['Warehouse robotics', 'Fleet telematics'])
  expect(cellsInMatrixOrder(plan.whitespace).map((c) => c.id)).toEqual(['shape:c5', 'shape:c2', 'shape:c3', 'shape:c1', 'shape:c4'])
})
