import { useEffect, type RefObject } from 'react'
import { react, type Editor } from 'tldraw'

/** Page pixels kept between the selection and the sheet's top edge. */
const MARGIN = 16

/**
 * On a phone the side panel is a sheet over the lower part of the board, so the card whose fields
 * it shows was often under it (QA q27b): one edited a card one could not see. While the sheet is
 * open, each new selection (once the gesture that made it is over) and the opening itself bring
 * the selection into the part of the board above the sheet, centred there, when it is not wholly
 * in it already. Nothing moves where the panel sits beside the board, nor while following someone.
 */
export function useSelectionAboveSheet(editor: Editor | null, panel: RefObject<HTMLElement | null>, open: boolean): void {
  useEffect(() => {
    if (!editor || !open) return
    let shownFor = ''
    let frame = 0
    const reveal = () => {
      frame = 0
      const sheet = panel.current
      if (!sheet || sheet.hidden || getComputedStyle(sheet).position !== 'absolute') return // beside the board
      if (editor.getInstanceState().followingUserId !== null) return
      const bounds = editor.getSelectionPageBounds()
      if (!bounds) return
      const container = editor.getContainer().getBoundingClientRect()
      const sheetTop = sheet.getBoundingClientRect().top
      const top = editor.pageToScreen({ x: bounds.minX, y: bounds.minY }).y
      const bottom = editor.pageToScreen({ x: bounds.maxX, y: bounds.maxY }).y
      if (top >= container.top + MARGIN && bottom <= sheetTop - MARGIN) return // in view above the sheet
      // Centred in what the sheet leaves of the board; a selection taller than that shows its top.
      const room = sheetTop - container.top
      const target = bottom - top > room - 2 * MARGIN ? container.top + MARGIN : container.top + (room - (bottom - top)) / 2
      const camera = editor.getCamera()
      editor.setCamera({ x: camera.x, y: camera.y + (target - top) / camera.z, z: camera.z }, { animation: { duration: 200 } })
    }
    const stop = react('selection above the sheet', () => {
      const ids = editor.getSelectedShapeIds()
      // Once the tap or drag that chose it is over: moving the board under a finger is no help.
      if (!editor.isIn('select.idle')) return
      const key = ids.join()
      if (key === shownFor) return
      shownFor = key
      if (ids.length > 0 && frame === 0) frame = requestAnimationFrame(reveal)
    })
    return () => {
      stop()
      cancelAnimationFrame(frame)
    }
  }, [editor, panel, open])
}
