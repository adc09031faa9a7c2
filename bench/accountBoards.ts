/**
 * The objectives and whitespace boards of a benchmark workshop (issue 15), shared by the plan and
 * snapshot suites: objective cards on a grid, and a whitespace matrix of row and column headers,
 * cell cards of every kind and competitor cards.
 */
import type { TLRecord } from '@tldraw/tlschema'
import { KPI_TYPES, WHITESPACE_KINDS } from '../shared/shapes.ts'
import { axisHeader, competitor, objective, whitespaceCell } from '../test/helpers/planBoards.ts'

/** Objective cards in a benchmark workshop of `shapes` shapes per board. */
export const objectiveCount = (shapes: number) => shapes

/** The id of the objective an action serves (actions are spread over every objective). */
export const objectiveOfAction = (i: number, shapes: number) => `shape:o${i % objectiveCount(shapes)}`

/** The objectives board: `shapes` objective cards, every fifth missing a target. */
export function objectiveRecords(shapes: number): TLRecord[] {
  return Array.from({ length: objectiveCount(shapes) }, (_, i) =>
    objective(`shape:o${i}`, { x: (i % 40) * 300, y: Math.floor(i / 40) * 200 }, {
      objective: `Objective ${i}: grow the account`,
      kpiType: KPI_TYPES[i % KPI_TYPES.length] ?? 'other',
      measure: 'Annual revenue',
      unit: 'EUR',
      baseline: 100_000 + i,
      target: i % 5 ? 150_000 + i : null,
      targetDate: '2027-06-30',
      owner: i % 3 ? 'Ada' : '',
      strategy: 'Land the platform with operations, then expand',
    }),
  )
}

/** The whitespace board: 20 row and 20 column headers, cells filling the matrix, 60 competitors. */
export function whitespaceRecords(shapes: number): TLRecord[] {
  const side = 20
  const competitors = 60
  const cells = shapes - 2 * side - competitors
  const records: TLRecord[] = []
  for (let r = 0; r < side; r++) records.push(axisHeader(`shape:row${r}`, 'row', { x: 0, y: 200 + r * 120 }, `Unit ${r}`))
  for (let c = 0; c < side; c++) records.push(axisHeader(`shape:col${c}`, 'column', { x: 220 + c * 220, y: 0 }, `Offering ${c}`))
  for (let i = 0; i < cells; i++) {
    const kind = WHITESPACE_KINDS[i % WHITESPACE_KINDS.length] ?? 'opportunity'
    const r = Math.floor(i / side) % side
    const c = i % side
    records.push(
      whitespaceCell(`shape:w${i}`, { x: 230 + c * 220, y: 205 + r * 120 }, {
        kind,
        competitor: kind === 'competitor' ? `Competitor ${i % competitors}` : '',
        value: kind === 'not_relevant' ? null : 10_000 + i,
        probability: kind === 'opportunity' ? (i * 7) % 100 : null,
      }),
    )
  }
  for (let i = 0; i < competitors; i++) {
    records.push(competitor(`shape:c${i}`, { x: 5000 + (i % 3) * 280, y: Math.floor(i / 3) * 180 }, { name: `Competitor ${i}`, strengths: 'Price', weaknesses: 'Service' }))
  }
  return records
}
