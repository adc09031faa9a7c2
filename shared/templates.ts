import { DocumentRecordType, PageRecordType, TLDOCUMENT_ID, type TLPageId, type TLShapeId } from '@tldraw/tlschema'
import type { IndexKey, JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import type { BoardId } from './boards.ts'
import { writeRecordChanges, writeStoredSchema } from './docLayout.ts'
import { SWOT_QUADRANTS, SWOT_QUADRANT_TITLES, type SwotQuadrant } from './plan.ts'
import { createKeyplanSchema } from './schema.ts'
import { ACTION_STATUSES, LABELS, type ActionStatus } from './shapes.ts'

/**
 * What a new board contains. Every template record has a fixed id, so a template can never
 * appear twice: seeding twice, or a browser's tldraw creating its default page while the
 * server's copy is on its way, writes the same records again instead of new ones.
 */

/** A rectangle in page coordinates. */
export interface Bounds {
  x: number
  y: number
  w: number
  h: number
}

/** The page of every board; equal to the page tldraw creates when a store has none. */
export const BOARD_PAGE_ID = 'page:page' as TLPageId

export { SWOT_QUADRANTS, type SwotQuadrant }

const QUADRANT_W = 960
const QUADRANT_H = 640
const GAP = 40

/**
 * The four SWOT quadrant frames: id, label and bounds (2×2 grid). A note belongs to the
 * quadrant that contains its centre; a note dropped into a frame becomes its child
 * (`parentId` = the frame id, coordinates relative to the frame).
 */
export const SWOT_FRAMES: Readonly<Record<SwotQuadrant, { id: TLShapeId; label: string; bounds: Bounds }>> = {
  strengths: { id: 'shape:swot-strengths' as TLShapeId, label: SWOT_QUADRANT_TITLES.strengths, bounds: { x: 0, y: 0, w: QUADRANT_W, h: QUADRANT_H } },
  weaknesses: {
    id: 'shape:swot-weaknesses' as TLShapeId,
    label: SWOT_QUADRANT_TITLES.weaknesses,
    bounds: { x: QUADRANT_W + GAP, y: 0, w: QUADRANT_W, h: QUADRANT_H },
  },
  opportunities: {
    id: 'shape:swot-opportunities' as TLShapeId,
    label: SWOT_QUADRANT_TITLES.opportunities,
    bounds: { x: 0, y: QUADRANT_H + GAP, w: QUADRANT_W, h: QUADRANT_H },
  },
  threats: {
    id: 'shape:swot-threats' as TLShapeId,
    label: SWOT_QUADRANT_TITLES.threats,
    bounds: { x: QUADRANT_W + GAP, y: QUADRANT_H + GAP, w: QUADRANT_W, h: QUADRANT_H },
  },
}

const COLUMN_W = 420
const COLUMN_H = 1200

/** The action plan's column frames, one per status, left to right in {@link ACTION_STATUSES} order. */
export const ACTION_COLUMNS: Readonly<Record<ActionStatus, { id: TLShapeId; label: string; bounds: Bounds }>> = Object.fromEntries(
  ACTION_STATUSES.map((status, i) => [
    status,
    {
      id: `shape:actions-${status.replace('_', '-')}` as TLShapeId,
      label: LABELS.status[status],
      bounds: { x: i * (COLUMN_W + GAP), y: 0, w: COLUMN_W, h: COLUMN_H },
    },
  ])
) as Record<ActionStatus, { id: TLShapeId; label: string; bounds: Bounds }> // built from every status just above

/** The objectives board's frame: objective cards go in it, in reading order. */
export const OBJECTIVES_FRAME: Readonly<{ id: TLShapeId; label: string; bounds: Bounds }> = {
  id: 'shape:objectives-area' as TLShapeId,
  label: 'Objectives & KPIs',
  bounds: { x: 0, y: 0, w: 1800, h: 1200 },
}

/**
 * The whitespace board's frames: the matrix, where the team adds row headers (business units),
 * column headers (offerings) and cells, and the competitor area beside it. Rows and columns are
 * not template records: the team adds and renames them (`WHITESPACE_AXIS_META` in shapes.ts).
 */
export const WHITESPACE_FRAMES: Readonly<Record<'matrix' | 'competitors', { id: TLShapeId; label: string; bounds: Bounds }>> = {
  matrix: { id: 'shape:whitespace-matrix' as TLShapeId, label: 'Whitespace: business units × offerings', bounds: { x: 0, y: 0, w: 1800, h: 1200 } },
  competitors: { id: 'shape:whitespace-competitors' as TLShapeId, label: 'Competitors', bounds: { x: 1800 + GAP, y: 0, w: 900, h: 1200 } },
}

/**
 * The status whose column contains `point` (page coordinates), or null outside all columns.
 * @example columnStatusAt({ x: 500, y: 100 }) // 'in_progress'
 */
export function columnStatusAt(point: { x: number; y: number }): ActionStatus | null {
  return ACTION_STATUSES.find((status) => contains(ACTION_COLUMNS[status].bounds, point)) ?? null
}

/**
 * The SWOT quadrant that contains `point` (page coordinates), or null outside all of them.
 * @example swotQuadrantAt({ x: 100, y: 900 }) // 'opportunities'
 */
export function swotQuadrantAt(point: { x: number; y: number }): SwotQuadrant | null {
  return SWOT_QUADRANTS.find((quadrant) => contains(SWOT_FRAMES[quadrant].bounds, point)) ?? null
}

function contains(bounds: Bounds, point: { x: number; y: number }): boolean {
  return point.x >= bounds.x && point.x < bounds.x + bounds.w && point.y >= bounds.y && point.y < bounds.y + bounds.h
}

function frame(id: TLShapeId, label: string, bounds: Bounds, index: string): JsonObject {
  return {
    id,
    typeName: 'shape',
    type: 'frame',
    x: bounds.x,
    y: bounds.y,
    rotation: 0,
    index,
    parentId: BOARD_PAGE_ID,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: { w: bounds.w, h: bounds.h, name: label, color: 'black' },
  }
}

/** Fractional index keys a1, a2, … for up to 9 siblings. */
const indexKey = (i: number): IndexKey => `a${i + 1}` as IndexKey

/**
 * The template records of a board: tldraw's document and page records, plus the SWOT
 * quadrants or the action plan's status columns. Valid against `createKeyplanSchema()`.
 */
export function templateRecords(board: BoardId): JsonObject[] {
  const base: JsonObject[] = [
    DocumentRecordType.create({ id: TLDOCUMENT_ID }) as unknown as JsonObject, // records are JSON
    PageRecordType.create({ id: BOARD_PAGE_ID, name: 'Page 1', index: indexKey(0), meta: {} }) as unknown as JsonObject, // records are JSON
  ]
  switch (board) {
    case 'swot':
      return [...base, ...SWOT_QUADRANTS.map((q, i) => frame(SWOT_FRAMES[q].id, SWOT_FRAMES[q].label, SWOT_FRAMES[q].bounds, indexKey(i)))]
    case 'actions':
      return [
        ...base,
        ...ACTION_STATUSES.map((s, i) => frame(ACTION_COLUMNS[s].id, ACTION_COLUMNS[s].label, ACTION_COLUMNS[s].bounds, indexKey(i))),
      ]
    case 'stakeholders':
      return base
    case 'objectives':
      return [...base, frame(OBJECTIVES_FRAME.id, OBJECTIVES_FRAME.label, OBJECTIVES_FRAME.bounds, indexKey(0))]
    case 'whitespace':
      return [
        ...base,
        frame(WHITESPACE_FRAMES.matrix.id, WHITESPACE_FRAMES.matrix.label, WHITESPACE_FRAMES.matrix.bounds, indexKey(0)),
        frame(WHITESPACE_FRAMES.competitors.id, WHITESPACE_FRAMES.competitors.label, WHITESPACE_FRAMES.competitors.bounds, indexKey(1)),
      ]
  }
}

/** 32-bit FNV-1a hash of `text`. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/**
 * A Yjs update holding a new board: the stored schema and the template records, in the
 * layout of `docLayout.ts`. The server applies it when a workshop is created.
 *
 * The update is the same bytes every time for the same board, schema and templates: it is
 * written under a Yjs client id derived from its content, so applying it twice changes nothing.
 * @example Y.applyUpdate(roomDoc, createSeededBoardUpdate('swot'))
 */
export function createSeededBoardUpdate(board: BoardId): Uint8Array {
  const schema = createKeyplanSchema().serialize()
  const records = templateRecords(board)
  const doc = new Y.Doc()
  doc.clientID = fnv1a(JSON.stringify([board, schema, records]))
  writeStoredSchema(doc, schema)
  writeRecordChanges(doc, { put: records, remove: [] })
  const update = Y.encodeStateAsUpdate(doc)
  doc.destroy()
  return update
}
