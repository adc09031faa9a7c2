import type { Editor, TLRecord, TLShape, TLStore } from 'tldraw'

/**
 * Measures the labels of a remote batch of new shapes in one layout pass, before they enter the
 * store (issue 14). tldraw measures each new label (`TextManager.measureHtml`) as it lays the shape
 * out, every time with a forced layout of its own: in a batch of 1,000 notes and labelled boxes
 * that was about a third of the page's work. `TextManager.measureHtmlBatch` measures many in one
 * layout, to the same sizes, at about a quarter of the cost.
 *
 * What to measure comes from tldraw itself: each new shape's geometry is computed once on a copy,
 * with `measureHtml` only writing down what it is asked (the copy, and so tldraw's caches keyed by
 * it, is dropped). The batch's sizes then answer `measureHtml` while the shapes go into the store;
 * anything else it is asked is measured as before (and kept, as tldraw asks some twice: a note
 * whose font adjustment it changes on create is laid out again). The sizes are forgotten right
 * after, as the page's fonts or styles may change.
 */

type MeasureOpts = Parameters<Editor['textMeasure']['measureHtml']>[1]
type Measured = ReturnType<Editor['textMeasure']['measureHtml']>

/** Answers `measureHtml` while a label is only being looked for: sizes that end tldraw's loops at once. */
const NOT_MEASURED: Measured = { x: 0, y: 0, w: 0, h: 0, scrollWidth: 0 }

const measurers = new WeakMap<TLStore, (shapes: readonly TLShape[]) => () => void>()

const keyOf = (html: string, opts: MeasureOpts) => `${html}\u0000${JSON.stringify(opts)}`

/**
 * Lets {@link measureLabelsAhead} measure for `editor`'s store. Returns a function that stops it.
 * @example
 * onMount={(editor) => measureLabelsOf(editor)}
 */
export function measureLabelsOf(editor: Editor): () => void {
  const textMeasure = editor.textMeasure
  const measureOne = textMeasure.measureHtml
  let asked: Map<string, { html: string; opts: MeasureOpts }> | null = null
  let known: Map<string, Measured> | null = null
  textMeasure.measureHtml = function measureHtml(html, opts) {
    if (!asked && !known) return measureOne.call(textMeasure, html, opts)
    const key = keyOf(html, opts)
    if (asked) {
      asked.set(key, { html, opts })
      return NOT_MEASURED
    }
    const size = known?.get(key) ?? measureOne.call(textMeasure, html, opts)
    known?.set(key, size)
    return size
  }

  const measure = (shapes: readonly TLShape[]): (() => void) => {
    asked = new Map()
    try {
      for (const shape of shapes) {
        if (!('richText' in shape.props)) continue
        // A copy, with props copied too: tldraw caches label sizes and geometry by the record and
        // by its props, and what it gets here are placeholders.
        const copy = { ...shape, props: { ...shape.props } } as TLShape // the same shape, new objects
        try {
          editor.getShapeUtil(copy).getGeometry(copy)
        } catch {
          // A shape whose geometry needs more than itself (bindings, other shapes): measured as before.
        }
      }
    } finally {
      const requests = [...asked.values()]
      asked = null
      known = new Map()
      if (requests.length > 1) {
        const sizes = textMeasure.measureHtmlBatch(requests)
        // The batch leaves one measuring element per request in the page, and every later single
        // measurement lays them all out again: keep one.
        textMeasure.measureHtmlBatch(requests.slice(0, 1))
        requests.forEach((request, i) => {
          const size = sizes[i]
          if (size) known?.set(keyOf(request.html, request.opts), size)
        })
      }
    }
    return () => {
      known = null
    }
  }

  measurers.set(editor.store, measure)
  return () => {
    if (measurers.get(editor.store) === measure) measurers.delete(editor.store)
    textMeasure.measureHtml = measureOne
  }
}

/**
 * Before `records` go into `store` in one change: measures the labels of those that are new
 * shapes in one layout pass, if an editor shows the store ({@link measureLabelsOf}). Call the
 * returned function once they are in.
 * @example
 * const done = measureLabelsAhead(store, records)
 * store.mergeRemoteChanges(() => store.put(records))
 * done()
 */
export function measureLabelsAhead(store: TLStore, records: readonly TLRecord[]): () => void {
  const measure = measurers.get(store)
  if (!measure) return () => {}
  const shapes = records.filter((record): record is TLShape => record.typeName === 'shape' && !store.has(record.id))
  return shapes.length > 1 ? measure(shapes) : () => {}
}
