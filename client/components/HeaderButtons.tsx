/** The workshop header's icon buttons of the board page: each has an accessible name and a tooltip. */

/** Facilitator: present the board (full screen, everyone follows). */
export function PresentButton({ onPresent }: { onPresent(): void }) {
  return (
    <button type="button" className="button present-button" aria-label="Present" title="Present: full screen, everyone follows you (Esc to leave)" onClick={onPresent}>
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <rect x="3" y="4" width="18" height="12" rx="1" />
        <path d="M12 16v4M8 20h8" />
      </svg>
      <span className="compact-label">Present</span>
    </button>
  )
}

/** Shows or hides the side panel (card details, plan health, participants). */
export function PanelToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  const name = open ? 'Hide details panel' : 'Show details panel'
  return (
    <button type="button" className={`button${open ? ' button-active' : ''}`} aria-label={name} title={name} aria-controls="side-panel" aria-expanded={open} onClick={onToggle}>
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        <rect x="3" y="4" width="18" height="16" rx="1" />
        <path d="M15 4v16" />
      </svg>
      <span className="compact-label">Details</span>
    </button>
  )
}
