import type { Editor, TLShape, TLShapeId } from 'tldraw'
import type { BoardId } from '../../shared/boards.ts'
import { templateRecordIds } from '../../shared/recordRights.ts'
import { isCanvasKey } from './panelFocus.ts'

/** Rows of shapes whose centres are closer than this (page units) read as one row, left to right. */
const ROW_PX = 100

/**
 * The board's items a keyboard steps through: every shape one can select (not locked, not the
 * board's template frames, which hold the items), wherever it sits, in reading order (rows top to
 * bottom, each left to right).
 */
export function itemsInReadingOrder(editor: Editor, board: BoardId): TLShape[] {
  const templates = templateRecordIds(board)
  const items = editor
    .getCurrentPageShapes()
    .filter((shape) => !templates.has(shape.id) && !shape.isLocked && editor.getShapeUtil(shape).canTabTo(shape) && !editor.isShapeOrAncestorLocked(shape))
    .map((shape) => ({ shape, center: editor.getShapePageBounds(shape)?.center ?? { x: 0, y: 0 } }))
    .sort((a, b) => a.center.y - b.center.y)
  const rows: (typeof items)[] = []
  for (const item of items) {
    const row = rows.at(-1)
    const last = row?.at(-1)
    if (row && last && Math.abs(item.center.y - last.center.y) < ROW_PX) row.push(item)
    else rows.push([item])
  }
  return rows.flatMap((row) => row.sort((a, b) => a.center.x - b.center.x).map(({ shape }) => shape))
}

/**
 * From the keyboard, the board's items one after another, whatever frame holds them (QA q29c: a
 * team member or a guest could select nothing on the SWOT, objectives or action plan, whose items
 * all sit in the facilitator's frames, and tldraw's Tab only stepped through the frames): with the
 * canvas focused and nothing being edited, Enter with nothing selected selects the first item, and
 * Tab / Shift+Tab with one item selected select the next / previous one, shown on screen. Tab with
 * nothing selected still leaves the canvas.
 * @returns a function that stops listening
 */
export function stepThroughItems(editor: Editor, board: BoardId): () => void {
  const select = (id: TLShapeId) => {
    editor.setSelectedShapes([id])
    editor.zoomToSelectionIfOffscreen(256, { animation: { duration: editor.options.animationMediumMs }, inset: 0 })
  }
  // The key whose press this stepped: its release is this step's too. tldraw's select tool steps to
  // a sibling on Tab's release (QA q36c: each press moved two items, so with notes sharing a
  // quadrant half of them could never be reached).
  let handled: string | null = null
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.key !== 'Tab' && event.key !== 'Enter') || !isCanvasKey(editor, event)) return
    const selected = editor.getSelectedShapeIds()
    if (event.key === 'Enter') {
      if (selected.length !== 0 || event.shiftKey) return
      const first = itemsInReadingOrder(editor, board)[0]
      if (!first) return
      event.preventDefault()
      event.stopPropagation()
      handled = event.key
      select(first.id)
      return
    }
    if (selected.length !== 1) return
    const items = itemsInReadingOrder(editor, board)
    const at = items.findIndex((shape) => shape.id === selected[0])
    if (at === -1 || items.length < 2) return
    event.preventDefault()
    event.stopPropagation()
    handled = event.key
    const next = items[(at + (event.shiftKey ? -1 : 1) + items.length) % items.length]
    if (next) select(next.id)
  }
  const onKeyUp = (event: KeyboardEvent) => {
    if (event.key !== handled) return
    handled = null
    event.preventDefault()
    event.stopPropagation()
  }
  // Before tldraw's own Tab, which steps through the frames only.
  window.addEventListener('keydown', onKeyDown, true)
  window.addEventListener('keyup', onKeyUp, true)
  return () => {
    window.removeEventListener('keydown', onKeyDown, true)
    window.removeEventListener('keyup', onKeyUp, true)
  }
}
