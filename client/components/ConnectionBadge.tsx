import type { ConnectionState } from '../board/useBoardSync.ts'

const TEXT = {
  connecting: { label: 'Connecting…', hint: 'Connecting to the workshop.' },
  connected: { label: 'Connected', hint: 'Live: everyone sees your changes.' },
  reconnecting: { label: 'Reconnecting…', hint: 'Your changes are kept in this browser and sent when the connection is back.' },
  offline: {
    label: 'Offline',
    hint: 'Offline: this page cannot reach the Keyplan server, so no one else sees your changes for now. They are kept in this browser and sent when the connection is back.',
  },
  full: {
    label: 'Board full, waiting…',
    hint: 'This board has as many people as it allows (or your network has too many connections). Keyplan keeps trying and lets you in when someone leaves; your changes are kept in this browser.',
  },
} as const satisfies Record<ConnectionState, { label: string; hint: string }>

/** The connection state, always visible in the workshop header. */
export function ConnectionBadge({ state }: { state: ConnectionState }) {
  const { label, hint } = TEXT[state]
  return (
    <div className={`connection connection-${state}`} role="status" aria-live="polite" title={hint} data-state={state}>
      <span className="connection-dot" aria-hidden="true" />
      <span className="connection-label">{label}</span>
    </div>
  )
}
