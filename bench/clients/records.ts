/**
 * Synthetic board content shaped like tldraw 5 records (a note shape with rich text), so
 * documents have realistic sizes: one record is about 450 bytes of JSON.
 */

import type { JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import { writeRecordChanges } from '../../shared/docLayout.ts'

/**
 * Writes records the way the page does, on the board layout (`docs/board-layout.md`): the only
 * writes the Keyplan server accepts. Every candidate server gets the same updates.
 */
export function putRecords(doc: Y.Doc, records: Array<Record<string, unknown>>): void {
  writeRecordChanges(doc, { put: records as JsonObject[], remove: [] }) // the records are JSON
}

/** A tldraw-like note shape record. */
export function noteRecord(id: string, n: number, x: number, y: number): Record<string, unknown> {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    parentId: 'page:page',
    index: `a${n.toString(36)}`,
    x,
    y,
    rotation: 0,
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      color: 'yellow',
      labelColor: 'black',
      size: 'm',
      font: 'draw',
      fontSizeAdjustment: 0,
      align: 'middle',
      verticalAlign: 'middle',
      growY: 0,
      url: '',
      scale: 1,
      textLastEditedBy: null,
      richText: {
        type: 'doc',
        content: [{ type: 'paragraph', content: [{ type: 'text', text: `Sticky ${n}: procurement wants a pilot before Q3 budget` }] }],
      },
    },
  }
}

/** A record id for shape `n` written by writer `w`. */
export function shapeId(w: number, n: number): string {
  return `shape:w${w}n${n}`
}

/** About `bytes` of filler text. */
export function padding(bytes: number): string {
  return 'x'.repeat(Math.max(0, bytes))
}
