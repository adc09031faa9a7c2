import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { BOARD_IDS } from '../../shared/boards.ts'
import { readRecords, readStoredSchema } from '../../shared/docLayout.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { ACTION_STATUSES } from '../../shared/shapes.ts'
import {
  ACTION_COLUMNS,
  SWOT_FRAMES,
  SWOT_QUADRANTS,
  columnStatusAt,
  createSeededBoardUpdate,
  swotQuadrantAt,
  templateRecords,
} from '../../shared/templates.ts'
import { connect, createPeer, createTestStore } from '../helpers/boardPeers.ts'

describe('board templates', () => {
  it.each(BOARD_IDS)('%s template records are valid in a real tldraw store', (board) => {
    const store = createTestStore()
    store.put(templateRecords(board) as never) // store.put validates every record and throws on the first invalid
    expect(store.allRecords()).toHaveLength(templateRecords(board).length)
  })

  it('SWOT has four labelled quadrant frames in a 2×2 grid', () => {
    const frames = templateRecords('swot').filter((r) => r.type === 'frame')
    expect(frames.map((f) => (f.props as { name: string }).name)).toEqual(['Strengths', 'Weaknesses', 'Opportunities', 'Threats'])
    for (const quadrant of SWOT_QUADRANTS) {
      const { bounds } = SWOT_FRAMES[quadrant]
      expect(swotQuadrantAt({ x: bounds.x + bounds.w / 2, y: bounds.y + bounds.h / 2 })).toBe(quadrant)
    }
    expect(swotQuadrantAt({ x: -10, y: 0 })).toBeNull()
  })

  it('action plan has one column per status; the stakeholder map only a page', () => {
    const columns = templateRecords('actions').filter((r) => r.type === 'frame')
    expect(columns.map((c) => c.id)).toEqual(ACTION_STATUSES.map((s) => ACTION_COLUMNS[s].id))
    expect(columns.map((c) => (c.props as { name: string }).name)).toEqual(['Open', 'In progress', 'Done', 'Blocked'])
    const { bounds } = ACTION_COLUMNS.done
    expect(columnStatusAt({ x: bounds.x + 10, y: bounds.y + 10 })).toBe('done')
    expect(templateRecords('stakeholders').map((r) => r.typeName)).toEqual(['document', 'page'])
  })

  it('seeding is the same update every time, so seeding twice changes nothing', () => {
    const once = new Y.Doc()
    Y.applyUpdate(once, createSeededBoardUpdate('swot'))
    const twice = new Y.Doc()
    Y.applyUpdate(twice, createSeededBoardUpdate('swot'))
    Y.applyUpdate(twice, createSeededBoardUpdate('swot'))
    expect(createSeededBoardUpdate('swot')).toEqual(createSeededBoardUpdate('swot'))
    expect(Y.encodeStateAsUpdate(twice)).toEqual(Y.encodeStateAsUpdate(once))
    expect(readStoredSchema(once)).toEqual(createKeyplanSchema().serialize())
    expect(readRecords(once).size).toBe(templateRecords('swot').length)
  })

  it('appears exactly once when two people open a new board at the same moment', () => {
    // Two servers (or a retry) seed the same board, two browsers are already editing.
    const serverA = new Y.Doc()
    const serverB = new Y.Doc()
    Y.applyUpdate(serverA, createSeededBoardUpdate('swot'))
    Y.applyUpdate(serverB, createSeededBoardUpdate('swot'))
    const ann = createPeer()
    const ben = createPeer()
    connect(serverA, ann.doc)
    connect(serverB, ben.doc)
    connect(ann.doc, ben.doc)
    for (const peer of [ann, ben]) {
      const records = peer.store.allRecords()
      expect(records.filter((r) => r.typeName === 'page')).toHaveLength(1)
      expect(records.filter((r) => r.typeName === 'shape')).toHaveLength(4)
      expect(peer.invalid).toEqual([])
    }
    expect(readRecords(ann.doc).size).toBe(templateRecords('swot').length)
  })
})
