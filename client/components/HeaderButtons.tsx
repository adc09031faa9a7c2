import type { ReactNode, Ref } from 'react'

/** The workshop header's icon buttons of the board page: each has an accessible name and a tooltip. */

interface IconButtonProps {
  /** Accessible name, also the tooltip unless `title` says more. */
  name: string
  title?: string
  /** Shown beside the icon where the header has room. */
  label: string
  className?: string
  expanded?: boolean
  controls?: string
  onClick(): void
  disabled?: boolean
  ref?: Ref<HTMLButtonElement>
  /** The icon's SVG shapes (24×24, stroked). */
  children: ReactNode
}

function IconButton({ name, title = name, label, className = 'button', expanded, controls, onClick, disabled, ref, children }: IconButtonProps) {
  return (
    <button ref={ref} type="button" className={className} aria-label={name} title={title} aria-expanded={expanded} aria-controls={controls} disabled={disabled} onClick={onClick}>
      <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
        {children}
      </svg>
      <span className="compact-label">{label}</span>
    </button>
  )
}

/** Facilitator: present the board (full screen, everyone follows). */
export function PresentButton({ onPresent, offline = false, ref }: { onPresent(): void; offline?: boolean; ref?: Ref<HTMLButtonElement> }) {
  const title = offline ? 'Present: reconnecting to the room, try again once it is back' : 'Present: full screen, everyone follows you (Esc to leave)'
  return (
    <IconButton ref={ref} name="Present" title={title} label="Present" className="button present-button" disabled={offline} onClick={onPresent}>
      <rect x="3" y="4" width="18" height="12" rx="1" />
      <path d="M12 16v4M8 20h8" />
    </IconButton>
  )
}

/** Shows or hides the side panel (card details, plan health, participants). */
export function PanelToggle({ open, onToggle }: { open: boolean; onToggle(): void }) {
  return (
    <IconButton
      name={open ? 'Hide details panel' : 'Show details panel'}
      label="Details"
      className={`button${open ? ' button-active' : ''}`}
      expanded={open}
      controls="side-panel"
      onClick={onToggle}
    >
      <rect x="3" y="4" width="18" height="16" rx="1" />
      <path d="M15 4v16" />
    </IconButton>
  )
}
