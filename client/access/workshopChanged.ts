/**
 * Tells the open workshop page that its workshop changed (renamed in the Share panel), so the
 * header shows the new account and title without a reload.
 */
import type { Workshop } from '../../shared/api.ts'

const EVENT = 'keyplan:workshop-changed'

/** Announces the workshop as the server answered after a change. */
export function announceWorkshopChanged(workshop: Workshop): void {
  window.dispatchEvent(new CustomEvent<Workshop>(EVENT, { detail: workshop }))
}

/** Calls `listener` with each announced change of `workshopId`; returns the unsubscribe function. */
export function onWorkshopChanged(workshopId: string, listener: (workshop: Workshop) => void): () => void {
  const handle = (event: Event) => {
    const workshop = (event as CustomEvent<Workshop>).detail // only announceWorkshopChanged dispatches this event
    if (workshop.id === workshopId) listener(workshop)
  }
  window.addEventListener(EVENT, handle)
  return () => window.removeEventListener(EVENT, handle)
}
