/**
 * A header popover's close button, kept in view at its top right while the popover scrolls: on a
 * phone a popover covers the screen, and without an Esc key or anywhere outside to tap nothing
 * else closed it (QA q27b for Share, q29c for History and the timer). Focus goes back to the
 * button that opened the popover ({@link useDismiss}).
 */
export function PopoverClose({ onClose }: { onClose(): void }) {
  return (
    <button type="button" className="popover-close" aria-label="Close" title="Close" onClick={onClose}>
      ×
    </button>
  )
}
