import { useCallback, useEffect, useState } from 'react'

/** Below this width the side panel is a sheet over the board, closed until asked for. */
export const PHONE_QUERY = '(max-width: 640px)'

const key = (phone: boolean) => `keyplan:sidePanel:${phone ? 'phone' : 'wide'}`

function remembered(phone: boolean): boolean {
  try {
    const value = window.localStorage.getItem(key(phone))
    if (value !== null) return value === 'open'
  } catch {
    // Storage disabled: fall back to the layout's default.
  }
  return !phone
}

/**
 * Whether the workshop page's side panel is open, and a toggle that remembers the choice in this
 * browser: one choice for wide screens (open by default) and one for phones (a sheet, closed by
 * default), so hiding it on the projector does not hide it on the laptop's next visit on a phone.
 */
export function useSidePanel(): { open: boolean; toggle(): void; close(): void; show(): void; sheet: boolean } {
  const [phone, setPhone] = useState(() => window.matchMedia(PHONE_QUERY).matches)
  const [open, setOpen] = useState(() => remembered(phone))
  useEffect(() => {
    const query = window.matchMedia(PHONE_QUERY)
    const change = () => {
      setPhone(query.matches)
      setOpen(remembered(query.matches))
    }
    query.addEventListener('change', change)
    return () => query.removeEventListener('change', change)
  }, [])
  const set = useCallback(
    (next: boolean) => {
      setOpen(next)
      try {
        window.localStorage.setItem(key(phone), next ? 'open' : 'closed')
      } catch {
        // Not remembered; the panel still opens and closes.
      }
    },
    [phone],
  )
  // Shown for what the person asked of it (a card's fields), not as their choice: not remembered.
  return { open, toggle: () => set(!open), close: () => set(false), show: () => setOpen(true), sheet: phone }
}
