import * as Y from 'yjs'
import { writeRecordChanges, readRecords } from './shared/docLayout.ts'
import { Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness'

const text = 'Prefers a 3-year TCO view. Met at LogiMAT 2026 with the head of intralogistics; wants a pilot in Q3 before any frame contract is signed. '.repeat(4).slice(0, 500)
function lww(n: number) {
  const doc = new Y.Doc()
  const card = { id: 'shape:c', typeName: 'shape', type: 'stakeholder', x: 0, y: 0, props: { notes: '' }, meta: {} }
  writeRecordChanges(doc, { put: [card], remove: [] })
  let bytes = 0, last = 0
  doc.on('update', (u: Uint8Array) => { bytes += u.length; last = u.length })
  for (let i = 1; i <= n; i++) writeRecordChanges(doc, { put: [{ ...card, props: { notes: text.slice(0, i) } }], remove: [] })
  return { perKeystrokeLast: last, avg: Math.round(bytes / n), docSize: Y.encodeStateAsUpdate(doc).length }
}
function ytext(n: number) {
  const doc = new Y.Doc()
  const t = doc.getMap('texts').set('shape:c/notes', new Y.Text())
  let bytes = 0, last = 0
  doc.on('update', (u: Uint8Array) => { bytes += u.length; last = u.length })
  for (let i = 0; i < n; i++) t.insert(i, text[i]!)
  return { perKeystrokeLast: last, avg: Math.round(bytes / n), docSize: Y.encodeStateAsUpdate(doc).length }
}
for (const n of [50, 200, 500]) console.log(n, 'lww', lww(n), 'ytext', ytext(n))
const aw = new Awareness(new Y.Doc())
const presence = { userId: 'user:abcdefgh12', userName: 'Alice Archer', color: '#e03131', cursor: { x: 100.5, y: 200.25, type: 'default', rotation: 0 }, camera: { x: 0, y: 0, z: 1 }, selectedShapeIds: ['shape:abcdefghijklmnopqrstu'], currentPageId: 'page:page', followingUserId: null, brush: null, scribbles: [], lastActivityTimestamp: 1764760000000, screenBounds: { x: 0, y: 0, w: 1400, h: 800 }, chatMessage: '', meta: {} }
aw.setLocalStateField('presence', presence)
const a = encodeAwarenessUpdate(aw, [aw.clientID]).length
aw.setLocalStateField('presence', { ...presence, meta: { keyplanEditing: { shapeId: 'shape:abcdefghijklmnopqrstu', field: 'notes', since: 1764760000000 } } })
const b = encodeAwarenessUpdate(aw, [aw.clientID]).length
console.log('awareness', a, b)
