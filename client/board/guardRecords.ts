import type { Editor, JsonObject, TLInstancePageState, TLRecord, TLShape, TLShapeId, TLUiOverrides } from 'tldraw'
import type { BoardId } from '../../shared/boards.ts'
import type { Role } from '../../shared/roles.ts'
import {
  CREATOR_META_KEY,
  creatorStamp,
  isStampedType,
  mayChangeTemplates,
  mayDeleteRecord,
  rawCreatorStamp,
  templateRecordIds,
  type BoardEditor,
} from '../../shared/recordRights.ts'
import { keptDeleteCounter, keptTemplateSignal } from './keptDeletes.ts'

const deletableByEditor = new WeakMap<Editor, (ids: readonly TLShapeId[]) => TLShapeId[]>()

/** Of `ids`, the shapes this page's person may delete on `editor` (all of them where no rules are guarded). */
export function deletableShapes(editor: Editor, ids: readonly TLShapeId[]): TLShapeId[] {
  return deletableByEditor.get(editor)?.(ids) ?? [...ids]
}

/**
 * Makes the page follow the server's record rules (`docs/server-rules.md` [R4], [R5], [R7]) with
 * tldraw side effects, so an honest user never sends an update the server refuses:
 * - every shape and binding this user creates (drawn, pasted, duplicated) is stamped with its
 *   creator, and the stamp of an existing record never changes;
 * - for everyone but the facilitator, the board's template shapes (the SWOT quadrants, the status
 *   columns) cannot be selected, and changes and deletes of template records are dropped,
 *   whatever asks for them ("Unlock all", a drag, Delete on a label);
 * - a guest's delete removes only what that guest created (Ctrl+A, Delete keeps everyone else's),
 *   and the page says so (`keptDeletes`): without a word the guest would see Delete do nothing;
 * - a template frame's name cannot be edited, and a click on its label (to drag or rename it), a
 *   rename or a change of it is told (`keptTemplates`) rather than dropped without a word.
 *
 * Only the user's own changes are guarded (`source === 'user'`): remote changes were judged by
 * the server. Returns a function that removes the handlers.
 */
export function guardRecords(editor: Editor, board: BoardId, who: BoardEditor): () => void {
  const templates = templateRecordIds(board)
  const lockTemplates = !mayChangeTemplates(who.role)
  const stamp = creatorStamp(who)
  const { sideEffects } = editor
  const countKept = keptDeleteCounter(editor.store)
  const templateKept = keptTemplateSignal(editor.store)

  const stampNew = <R extends TLRecord>(record: R, source: 'user' | 'remote'): R => {
    if (source !== 'user' || !isStampedType(record.typeName)) return record
    return { ...record, meta: { ...record.meta, [CREATOR_META_KEY]: stamp } }
  }
  const guardChange = <R extends TLRecord>(prev: R, next: R, source: 'user' | 'remote'): R => {
    if (source !== 'user') return next
    if (lockTemplates && templates.has(prev.id)) {
      if (JSON.stringify(prev) !== JSON.stringify(next)) templateKept()
      return prev
    }
    if (!isStampedType(prev.typeName)) return next
    const before = rawCreatorStamp(prev as unknown as JsonObject) // records are JSON
    const after = rawCreatorStamp(next as unknown as JsonObject) // records are JSON
    if (JSON.stringify(before) === JSON.stringify(after)) return next
    // Something replaced meta whole: keep the creator as it was.
    const meta = { ...next.meta }
    if (before === undefined) delete meta[CREATOR_META_KEY]
    else meta[CREATOR_META_KEY] = before
    return { ...next, meta }
  }
  const guardDelete = (record: TLRecord, source: 'user' | 'remote'): false | void => {
    if (source !== 'user') return
    if (lockTemplates && templates.has(record.id)) return false
    // Bindings follow their arrow (the server judges them so too); shapes follow their creator.
    if (record.typeName === 'shape' && !mayDeleteRecord(who, record as unknown as JsonObject /* records are JSON */)) {
      countKept()
      return false
    }
  }

  // Whether the pointer's last press was on a frame's label (tldraw selects the frame either way).
  let pressedOnLabel = false
  const onPointerDown = (event: PointerEvent) => {
    pressedOnLabel = event.target instanceof Element && event.target.closest('.tl-frame-heading') !== null
  }
  const container = editor.getContainer()
  container.addEventListener('pointerdown', onPointerDown, true)
  const unselectable = (prev: TLInstancePageState, next: TLInstancePageState, source: 'user' | 'remote'): TLInstancePageState => {
    if (source !== 'user' || !lockTemplates || !next.selectedShapeIds.some((id) => templates.has(id))) return next
    // A click on a frame's label selects just that frame: told, not a selection of nothing without a word.
    // Only a press on the label: a click in a quadrant's empty space selects the frame too (to be
    // filtered out here), and so does a selection box around an empty quadrant, on every move.
    if (pressedOnLabel && next.selectedShapeIds.every((id) => templates.has(id)) && !prev.selectedShapeIds.some((id) => templates.has(id))) templateKept()
    // A template that cannot be selected cannot be dragged, and Delete never takes its children with it.
    return { ...next, selectedShapeIds: next.selectedShapeIds.filter((id) => !templates.has(id)) }
  }

  // A shape's delete is refused before tldraw starts it, not only in the store's delete handler:
  // tldraw's own handler, which runs first, cuts the bindings of a shape being deleted (the lines
  // drawn to it, the team's too) whether or not the delete goes through, and the cut is a change
  // the server accepts (a guest edits the line). So a refused delete changed what it refused.
  // A shape is kept with everything inside it, so a kept child never loses its container.
  const refusesDelete = (record: TLRecord): boolean =>
    (lockTemplates && templates.has(record.id)) || (record.typeName === 'shape' && !mayDeleteRecord(who, record as unknown as JsonObject /* records are JSON */))
  const refusesWithContents = (id: TLShapeId): boolean => {
    const shape = editor.getShape(id)
    if (!shape) return false
    let refused = refusesDelete(shape)
    if (!refused) {
      editor.visitDescendants(id, (childId) => {
        const child = editor.getShape(childId)
        if (child && refusesDelete(child)) refused = true
      })
    }
    return refused
  }
  const deleteShapes = editor.deleteShapes
  editor.deleteShapes = function deleteAllowedShapes(shapes: TLShapeId[] | TLShape[]) {
    const ids = shapes.map((shape) => (typeof shape === 'string' ? shape : shape.id))
    const allowed = ids.filter((id) => {
      const refused = refusesWithContents(id)
      if (refused && !(lockTemplates && templates.has(id))) countKept()
      return !refused
    })
    return (deleteShapes as (ids: TLShapeId[]) => Editor).call(editor, allowed)
  }
  // What a delete of the selection would remove, for its confirmation (confirmBulkDelete.ts).
  deletableByEditor.set(editor, (ids) => ids.filter((id) => !refusesWithContents(id)))

  // A template frame's name is not edited by those who may not change it: double-clicking its
  // label opened tldraw's name editor, which took the typing and kept none of it.
  const canEditShape = editor.canEditShape.bind(editor)
  editor.canEditShape = ((shape: TLShape | TLShapeId | null, info) => {
    const id = typeof shape === 'string' ? shape : shape?.id
    if (lockTemplates && id !== undefined && templates.has(id)) return false
    return canEditShape(shape, info)
  }) as Editor['canEditShape'] // the same signature; the type guard is the original's
  const setEditingShape = editor.setEditingShape
  editor.setEditingShape = function setEditableShape(shape: TLShape | TLShapeId | null) {
    const id = typeof shape === 'string' ? shape : shape?.id
    if (lockTemplates && id !== undefined && templates.has(id)) {
      templateKept()
      return editor
    }
    return setEditingShape.call(editor, shape)
  }

  const stops = [
    () => {
      deletableByEditor.delete(editor)
      container.removeEventListener('pointerdown', onPointerDown, true)
      editor.deleteShapes = deleteShapes
      editor.canEditShape = canEditShape
      editor.setEditingShape = setEditingShape
    },
    sideEffects.registerBeforeChangeHandler('instance_page_state', unselectable),
    sideEffects.registerBeforeCreateHandler('shape', stampNew),
    sideEffects.registerBeforeCreateHandler('binding', stampNew),
    sideEffects.registerBeforeChangeHandler('shape', guardChange),
    sideEffects.registerBeforeChangeHandler('binding', guardChange),
    sideEffects.registerBeforeChangeHandler('page', guardChange),
    sideEffects.registerBeforeChangeHandler('document', guardChange),
    sideEffects.registerBeforeDeleteHandler('shape', guardDelete),
    sideEffects.registerBeforeDeleteHandler('page', guardDelete),
  ]
  return () => {
    for (const stop of stops) stop()
  }
}

/**
 * tldraw UI overrides for a board: for everyone but the facilitator, Select all (Ctrl+A) selects
 * every shape on the page and inside the template frames, never the frames themselves (which
 * {@link guardRecords} keeps unselectable), so Ctrl+A, Delete removes content, not the board.
 */
export function boardUiOverrides(board: BoardId, role: Role): TLUiOverrides {
  if (mayChangeTemplates(role)) return {}
  const templates = templateRecordIds(board)
  return {
    actions(editor, actions) {
      const selectAll = actions['select-all']
      if (!selectAll) return actions
      return {
        ...actions,
        'select-all': {
          ...selectAll,
          onSelect() {
            editor.run(() => {
              if (editor.getCurrentToolId() !== 'select') editor.setCurrentTool('select')
              editor.markHistoryStoppingPoint('select all kbd')
              const ids: TLShapeId[] = []
              for (const id of editor.getSortedChildIdsForParent(editor.getCurrentPageId())) {
                if (templates.has(id)) ids.push(...editor.getSortedChildIdsForParent(id))
                else ids.push(id)
              }
              editor.setSelectedShapes(ids.filter((id) => !editor.getShape(id)?.isLocked))
            })
          },
        },
      }
    },
  }
}
