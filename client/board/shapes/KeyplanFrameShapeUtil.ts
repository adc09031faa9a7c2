import { FrameShapeUtil, type TLDragShapesInInfo, type TLFrameShape, type TLShape } from 'tldraw'

/**
 * tldraw's frame, except when several shapes are dragged at once. tldraw puts every dragged shape
 * into the frame under the pointer, so a card selected in another status column (or a note in
 * another SWOT quadrant) changed column, and status, without moving, and its new frame clipped it
 * out of sight (QA q27a). Here a shape of a multiple drag enters a frame only when its centre is
 * over it; a shape dragged alone still follows the pointer, as in tldraw. The action board's drop
 * then settles each card into the column its centre is over (`dropIntoColumns`, cards.ts), and
 * every other board each shape into the frame its centre is over (`settleMultipleDragsByCentre`).
 */
export class KeyplanFrameShapeUtil extends FrameShapeUtil {
  override onDragShapesIn(shape: TLFrameShape, draggingShapes: TLShape[], info: TLDragShapesInInfo): void {
    const frame = this.editor.getShapePageBounds(shape)
    const entering = draggingShapes.length > 1 ? draggingShapes.filter((dragged) => frame?.containsPoint(this.editor.getShapePageBounds(dragged)?.center ?? { x: NaN, y: NaN })) : draggingShapes
    if (entering.length > 0) super.onDragShapesIn(shape, entering, info)
  }
}
