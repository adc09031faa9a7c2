/**
 * A teammate's batch of new labelled shapes gets the same sizes on the other page as shapes
 * measured one at a time: the page measures the batch's labels ahead in one layout pass
 * (`client/board/measureLabelsAhead.ts`, issue 14), and tldraw sizes notes and boxes from those
 * measurements (a note's font shrinks to fit a long word, its height grows with its lines).
 * Behaviour only: nothing here is timed.
 */
import type { Geometry2d, TLShape, TLShapeId } from 'tldraw'
import { toRichText } from 'tldraw'
import { describe, expect, it } from 'vitest'
import { WAIT_MS } from '../helpers/browser.ts'
import { setUpTwoPeopleOnBoard } from '../helpers/browserTest.ts'
import { exposeEditor } from '../helpers/pageEditor.ts'

declare global {
  interface Window {
    /** How many times Bob's page measured several labels in one pass. */
    batchMeasurements: number
  }
}

const two = setUpTwoPeopleOnBoard('swot')

const TEXTS = [
  'Kickoff',
  'Supercalifragilisticexpialidocious',
  'Renewal risk: the procurement team wants a second supplier before the budget review in March',
  'Champion',
  'Line one\nLine two\nLine three\nLine four\nLine five',
  'ok',
]

/** Notes and labelled boxes, in a grid below the template, with the texts above in turn. */
function batch(): Array<{ id: string; type: string; x: number; y: number; props: object }> {
  return Array.from({ length: 36 }, (_, i) => {
    const text = TEXTS[i % TEXTS.length] ?? ''
    const id = `shape:e2emeasure${String(i).padStart(2, '0')}`
    const at = { x: 100 + (i % 6) * 260, y: 1_400 + Math.floor(i / 6) * 300 }
    return i % 2 === 0
      ? { id, type: 'note', ...at, props: { richText: toRichText(text) } }
      : { id, type: 'geo', ...at, props: { w: 180 + (i % 3) * 40, h: 80, richText: toRichText(text) } }
  })
}

describe('a remote batch of labelled shapes', () => {
  it('gets the sizes the sender measured, and the ones the page measures one label at a time', async () => {
    const { alice, bob } = two
    await exposeEditor(alice.page)
    await exposeEditor(bob.page)
    await bob.page.evaluate(() => {
      window.batchMeasurements = 0
      const textMeasure = window.testEditor.textMeasure
      const measureBatch = textMeasure.measureHtmlBatch.bind(textMeasure)
      textMeasure.measureHtmlBatch = (requests) => {
        if (requests.length > 1) window.batchMeasurements++
        return measureBatch(requests)
      }
    })

    const shapes = batch()
    const ids = shapes.map((shape) => shape.id)
    // One store change: one document transaction, which reaches Bob as one batch.
    await alice.page.evaluate((json) => {
      window.testEditor.createShapes(JSON.parse(json)) // the partial shapes built above
    }, JSON.stringify(shapes))
    await bob.page.waitForFunction((wanted) => wanted.every((id) => window.testEditor.store.has(id as TLShapeId)), ids, { timeout: WAIT_MS })
    expect(await bob.page.evaluate(() => window.batchMeasurements)).toBeGreaterThan(0)

    // Sizes tldraw derives from the labels on create (a note's font and height, a box's height).
    const derived = (page: typeof alice.page) =>
      page.evaluate(
        (wanted) =>
          wanted.map((id) => {
            const { props } = window.testEditor.getShape(id as TLShapeId) as TLShape & { props: { growY: number; fontSizeAdjustment?: number } }
            return { id, growY: props.growY, fontSizeAdjustment: props.fontSizeAdjustment ?? null }
          }),
        ids,
      )
    expect(await derived(bob.page)).toEqual(await derived(alice.page))
    expect((await derived(bob.page)).some(({ fontSizeAdjustment }) => fontSizeAdjustment !== null && fontSizeAdjustment < 22)).toBe(true) // the long word shrank

    // Each shape's geometry on Bob's page, its label's box included, against its geometry measured
    // again, one label at a time, from a copy (tldraw caches by the record).
    const compared = await bob.page.evaluate((wanted) => {
      const editor = window.testEditor
      // A note's or box's geometry is a group: its body, and its label's box.
      const boxes = (geometry: Geometry2d) =>
        [geometry, ...((geometry as Geometry2d & { children?: Geometry2d[] }).children ?? [])].map(({ bounds }) => [bounds.x, bounds.y, bounds.w, bounds.h])
      return wanted.map((id) => {
        const shape = editor.getShape(id as TLShapeId) as TLShape
        const copy = { ...shape, props: { ...shape.props } } as TLShape
        return { id, shown: boxes(editor.getShapeGeometry(shape)), fresh: boxes(editor.getShapeUtil(copy).getGeometry(copy)) }
      })
    }, ids)
    for (const { id, shown, fresh } of compared) expect({ id, boxes: shown }).toEqual({ id, boxes: fresh })
  })
})
