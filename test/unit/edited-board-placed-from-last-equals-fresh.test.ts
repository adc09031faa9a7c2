/**
 * [P1][P6][P7] An edited live board's SWOT notes keep their last placement (quadrant and page
 * centre) while their page transform and the quadrant frames are the same: the plan must be
 * exactly the one a fresh extraction (no caches) makes of the same records, after every edit.
 * Seeded, so a failure can be replayed; fails when either check of the placement is left out
 * (a parking-lot frame moved under its notes, a quadrant frame moved or resized around them).
 */
import type { TLRecord, TLShape } from '@tldraw/tlschema'
import { expect, test } from 'vitest'
import type { BoardId } from '../../shared/boards.ts'
import { extractPlan, type ValidatedRecords } from '../../shared/extractPlan.ts'
import { action, frame, note, planInput, stakeholder, swotFrames } from '../helpers/planBoards.ts'
import { seededRandom } from '../helpers/seededRandom.ts'

const SEED = 20261205

/** Records with a few edited: new objects for those (as a live board's read gives), the others the same. */
function edited(records: readonly TLRecord[], change: (record: TLRecord) => TLRecord | null): TLRecord[] {
  return records.flatMap((record) => {
    const after = change(record)
    return after === null ? [] : [after]
  })
}

test('an edited live board extracted with its caches equals a fresh extraction, after every edit', () => {
  console.log(`seed ${SEED}`)
  const next = seededRandom(SEED).next
  const int = (n: number) => Math.floor(next() * n)
  // The quadrants, and a frame that is none (a parking lot): moving it moves its notes on the page
  // while the quadrants stay as they were.
  const frames = [...swotFrames(), frame('shape:park', { x: 300, y: 300 }, 600, 500, 'Parking lot')]
  // Notes on the page inside the quadrants (placed by containment), loose ones, and children of a
  // frame (placed through it: moving the frame moves them without changing their records).
  let made = 0
  const looseNote = () => note(`shape:n${made++}`, { x: int(2100) - 50, y: int(1700) - 50 }, `Note ${made}`)
  const childNote = () => note(`shape:c${made++}`, { x: int(500), y: int(400), parentId: (frames[int(frames.length)] as TLShape).id }, `Child ${made}`) // index < length
  const boards: Record<'swot' | 'stakeholders' | 'actions', TLRecord[]> = {
    swot: [...frames, ...Array.from({ length: 30 }, looseNote), ...Array.from({ length: 20 }, childNote)],
    stakeholders: Array.from({ length: 20 }, (_, i) => stakeholder(`shape:s${i}`, { x: (i % 5) * 300, y: Math.floor(i / 5) * 200 }, { name: `Person ${i}` })),
    actions: Array.from({ length: 20 }, (_, i) => action(`shape:a${i}`, { x: (i % 4) * 460, y: Math.floor(i / 4) * 120 }, { title: `Action ${i}` })),
  }
  const validated: Partial<Record<BoardId, ValidatedRecords>> = { swot: new Map(), stakeholders: new Map(), actions: new Map() }
  const moved = (record: TLRecord): TLRecord => (record.typeName === 'shape' ? { ...record, x: record.x + int(5) * 150 - 300, y: record.y + int(5) * 120 - 240 } : record)
  const pickShape = (board: keyof typeof boards, prefix: string) => {
    const ids = boards[board].filter((r) => r.id.startsWith(prefix)).map((r) => r.id)
    return ids[int(ids.length)]
  }
  const edits: Record<string, () => void> = {
    moveNote: () => {
      const id = pickShape('swot', next() < 0.5 ? 'shape:n' : 'shape:c')
      boards.swot = edited(boards.swot, (r) => (r.id === id ? moved(r) : r))
    },
    moveFrame: () => {
      const id = pickShape('swot', 'shape:swot-')
      boards.swot = edited(boards.swot, (r) => (r.id === id ? moved(r) : r))
    },
    moveParkingLot: () => {
      boards.swot = edited(boards.swot, (r) => (r.id === 'shape:park' ? moved(r) : r))
    },
    resizeFrame: () => {
      const id = pickShape('swot', 'shape:swot-')
      boards.swot = edited(boards.swot, (r) => (r.id === id && r.typeName === 'shape' && r.type === 'frame' ? { ...r, props: { ...r.props, w: 400 + int(8) * 100 } } : r))
    },
    addNote: () => void (boards.swot = [...boards.swot, next() < 0.5 ? looseNote() : childNote()]),
    removeNote: () => {
      const id = pickShape('swot', 'shape:n')
      boards.swot = edited(boards.swot, (r) => (r.id === id ? null : r))
    },
    moveStakeholder: () => {
      const id = pickShape('stakeholders', 'shape:s')
      boards.stakeholders = edited(boards.stakeholders, (r) => (r.id === id ? moved(r) : r))
    },
    moveAction: () => {
      const id = pickShape('actions', 'shape:a')
      boards.actions = edited(boards.actions, (r) => (r.id === id ? moved(r) : r))
    },
  }
  const kinds = Object.keys(edits)
  const input = () => ({ ...planInput({ ...boards }), validated })
  extractPlan(input())
  for (let step = 0; step < 300; step++) {
    const kind = kinds[int(kinds.length)] as string // index < length
    edits[kind]?.()
    const live = extractPlan(input())
    // Fresh: copies of every record, so no cache keyed by a record object is met, and no validated records.
    const fresh = extractPlan(planInput({ swot: structuredClone(boards.swot), stakeholders: structuredClone(boards.stakeholders), actions: structuredClone(boards.actions) }))
    expect({ step, kind, plan: live }).toEqual({ step, kind, plan: fresh })
  }
})
