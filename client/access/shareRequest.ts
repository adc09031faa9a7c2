/**
 * Asks the next workshop page of this tab to open its Share panel: after creating a workshop (the
 * facilitator should see the invite links at once) and after the facilitator revoked their own
 * links (the page reloads with the new facilitator token).
 */
const KEY = 'keyplan:openShare'

export function requestSharePanel(workshopId: string): void {
  sessionStorage.setItem(KEY, workshopId)
}

/** True once if {@link requestSharePanel} was called for this workshop. */
export function takeSharePanelRequest(workshopId: string): boolean {
  if (sessionStorage.getItem(KEY) !== workshopId) return false
  sessionStorage.removeItem(KEY)
  return true
}
