import { useEffect, type RefObject } from 'react'

/**
 * While `open`, calls `close` on Escape or on a pointer press outside `root`, as menus and the
 * header's popovers do.
 * @example useDismiss(open, rootRef, () => setOpen(false))
 */
export function useDismiss(open: boolean, root: RefObject<HTMLElement | null>, close: () => void): void {
  useEffect(() => {
    if (!open) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close()
    }
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) close() // event targets of pointer events are nodes
    }
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onPointer)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('pointerdown', onPointer)
    }
  }, [open, root, close])
}
