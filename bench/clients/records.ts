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

/** Base-62 digits of tldraw's fractional index keys. */
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'

/**
 * A valid tldraw index key for `n` < 3,844 (integer part `b` + two base-62 digits): the server's
 * record pass validates every record ([R1]), and `a${n}` is not a key past `az`.
 */
function indexKey(n: number): string {
  return `b${DIGITS[Math.floor(n / 62) % 62]}${DIGITS[n % 62]}`
}

/** A tldraw-like note shape record. */
export function noteRecord(id: string, n: number, x: number, y: number): Record<string, unknown> {
  return {
    id,
    typeName: 'shape',
    type: 'note',
    parentId: 'page:page',
    index: indexKey(n),
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
