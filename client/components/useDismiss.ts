import { useEffect, type RefObject } from 'react'

/** What Tab can reach, for the first control of a popover. */
const FOCUSABLE = 'input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])'

/**
 * A header popover's behaviour (WAI-ARIA dialog pattern). `root` holds the button that opens the
 * popover (the element with `aria-expanded`) and, while `open`, the popover itself (`role="dialog"`,
 * or `role="group"` for the timer's controls).
 * - While open, calls `close` on Escape, on a pointer press outside `root`, as menus do, and when
 *   the focus moves out of `root` (Tab past its last control).
 * - On open, focus moves into the popover: to its first control shown, or to the popover itself
 *   when it has none yet or asks for it (`tabIndex={-1}`: its controls load in parts, so which comes
 *   first is not known). A control the popover focused itself (`autoFocus`) keeps it.
 * - On close, focus returns to the opening button, unless it already went somewhere else (a press
 *   on another control outside): a removed popover would otherwise drop focus to the page body.
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
    // Tab past its last control (or before its button): the focus left, so does the popover (QA
    // q29c: it stayed open over the header, and the focus went on to buttons hidden under it). A
    // focus going nowhere (a control removed under it) is not a leave.
    const onFocusOut = (event: FocusEvent) => {
      const next = event.relatedTarget
      if (next instanceof Node && !root.current?.contains(next)) close()
    }
    const element = root.current
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onPointer)
    element?.addEventListener('focusout', onFocusOut)
    return () => {
      window.removeEventListener('keydown', onKey)
      window.removeEventListener('pointerdown', onPointer)
      element?.removeEventListener('focusout', onFocusOut)
    }
  }, [open, root, close])

  useEffect(() => {
    if (!open) return
    const opener = root.current?.querySelector<HTMLElement>('[aria-expanded]')
    const popover = root.current?.querySelector<HTMLElement>('[role="dialog"], [role="group"]')
    if (popover && !popover.contains(document.activeElement)) {
      // Controls not shown (a collapsed part) cannot take focus: the first one on screen does.
      const first = popover.tabIndex === -1 ? null : [...popover.querySelectorAll<HTMLElement>(FOCUSABLE)].find((el) => el.getClientRects().length > 0)
      if (first) first.focus()
      else {
        popover.tabIndex = -1
        popover.focus()
      }
    }
    // Runs once the popover is gone from the page (or the whole control is).
    return () => {
      const active = document.activeElement
      const dropped = active === null || active === document.body || (root.current?.contains(active) ?? false)
      if (dropped && opener?.isConnected) opener.focus()
    }
  }, [open, root])
}
