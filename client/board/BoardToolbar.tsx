import type { MouseEvent } from 'react'
import { startEditingShapeWithRichText, useValue, type Editor } from 'tldraw'
import type { BoardId } from '../../shared/boards.ts'
import { SHAPE_TYPES, type RelationshipKind, type WhitespaceAxis } from '../../shared/shapes.ts'
import type { Role } from '../../shared/roles.ts'
import { BoardCurrency } from './BoardCurrency.tsx'
import { addAxisHeader, addCard, addNote, type CardType } from './cards.ts'
import { panelFocusRequest } from './panelFocus.ts'

/**
 * The board's own shapes, in the header: sticky notes on the SWOT, cards elsewhere. `lineKinds` are
 * the relationship kinds this page may draw: with none (a guest, when every kind is internal) there
 * is no relationship to add.
 */
export function BoardToolbar({ board, editor, lineKinds, role }: { board: BoardId; editor: Editor; lineKinds: readonly RelationshipKind[]; role: Role }) {
  // A button that chooses a tool says what the next click does (QA q32b: after "Add sticky note"
  // nothing said to click where the note goes, and the letters typed next ran the canvas's shortcuts).
  const tool = useValue('current tool', () => editor.getCurrentToolId(), [editor])
  const hint = tool === 'note' ? 'Click on the board where the note goes (Esc cancels).' : tool === 'arrow' && board === 'stakeholders' ? 'Drag from one card to another to draw the line (Esc cancels).' : null
  return (
    <div className="board-toolbar">
      <div className="board-toolbar-buttons" role="toolbar" aria-label="Board tools">
        {board === 'swot' && (
          <button type="button" className="button button-primary" onClick={(event) => addNoteFromButton(event, editor)}>
            Add sticky note
          </button>
        )}
        {board === 'stakeholders' && (
          <>
            <button type="button" className="button button-primary" onClick={(event) => addFromButton(event, editor, SHAPE_TYPES.stakeholder)}>
              Add stakeholder
            </button>
            <button
              type="button"
              className="button"
              // aria-disabled, not disabled: a disabled button shows no tooltip to say why.
              aria-disabled={lineKinds.length === 0 || undefined}
              title={lineKinds.length === 0 ? 'Relationship lines are internal in this workshop: only the team draws them' : undefined}
              onClick={() => {
                if (lineKinds.length > 0) editor.setCurrentTool('arrow')
              }}
            >
              Add relationship
            </button>
          </>
        )}
        {board === 'objectives' && (
          <button type="button" className="button button-primary" onClick={(event) => addFromButton(event, editor, SHAPE_TYPES.objective)}>
            Add objective
          </button>
        )}
        {board === 'whitespace' && (
          <>
            <button type="button" className="button" onClick={(event) => addHeaderFromButton(event, editor, 'row')}>
              Add business unit
            </button>
            <button type="button" className="button" onClick={(event) => addHeaderFromButton(event, editor, 'column')}>
              Add offering
            </button>
            <button type="button" className="button button-primary" onClick={(event) => addFromButton(event, editor, SHAPE_TYPES.whitespace)}>
              Add cell
            </button>
            <button type="button" className="button" onClick={(event) => addFromButton(event, editor, SHAPE_TYPES.competitor)}>
              Add competitor
            </button>
            <BoardCurrency editor={editor} role={role} />
          </>
        )}
        {board === 'actions' && (
          <button type="button" className="button button-primary" onClick={(event) => addFromButton(event, editor, SHAPE_TYPES.action)}>
            Add action
          </button>
        )}
      </div>
      {hint && (
        <p className="board-toolbar-hint" role="status">
          {hint}
        </p>
      )}
    </div>
  )
}

/**
 * Adds a card, which opens with the focus in its first side-panel field, where the name typed next
 * belongs: from the keyboard and from a click alike (QA q29d: after a click the focus stayed on the
 * button, letters ran the canvas's shortcuts and Space added a second, untitled card).
 */
function addFromButton(_event: MouseEvent, editor: Editor, type: CardType): void {
  const id = addCard(editor, type)
  panelFocusRequest(editor).set(id)
}

/**
 * Chooses the note tool, to place a note with the next click; from the keyboard (no pointer to
 * place it with) adds one in a free spot of the view and opens it for typing.
 */
function addNoteFromButton(event: MouseEvent, editor: Editor): void {
  if (event.detail !== 0) {
    editor.setCurrentTool('note')
    // Keys go to the canvas, not to the button (QA q29d: Space pressed it again).
    editor.getContainer().focus()
    return
  }
  const id = addNote(editor)
  editor.getContainer().focus()
  startEditingShapeWithRichText(editor, id)
}

/**
 * Adds a business unit or offering header; one added from the keyboard opens with its label in
 * editing, all of it selected: the name typed next replaces "Business unit" (QA pass of
 * 2026-12-06: the focus stayed on the button, the next Enter added a second header, and typing
 * "Retail" ran the canvas's shortcuts, "l" the line tool).
 */
function addHeaderFromButton(event: MouseEvent, editor: Editor, axis: WhitespaceAxis): void {
  const id = addAxisHeader(editor, axis)
  if (event.detail !== 0) return
  editor.getContainer().focus()
  startEditingShapeWithRichText(editor, id)
  // The label's text editor mounts with a later render, and a moment after it mounts tldraw puts
  // the caret at the end (tldraw's own `selectAll` option asks before either). So the label is
  // selected at each frame from then on, for a second at most, until its text changes.
  let frames = 30
  let mounted: { at: number; text: string } | undefined
  const selectLabel = () => {
    if (editor.getEditingShapeId() !== id) return
    const text = editor.getRichTextEditor()
    if (!text) {
      if (--frames > 0) requestAnimationFrame(selectLabel)
      return
    }
    mounted ??= { at: performance.now(), text: text.getText() }
    if (text.getText() !== mounted.text || performance.now() - mounted.at > 1000) return
    const { from, to } = text.state.selection
    if (to - from < text.state.doc.textContent.length) text.chain().focus().selectAll().run()
    requestAnimationFrame(selectLabel)
  }
  requestAnimationFrame(selectLabel)
}
