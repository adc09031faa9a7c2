/**
 * Calls `onValue` with each new value another tab of this browser stores under the localStorage
 * `key` (the `storage` event fires in the other tabs only); returns the function that stops.
 */
export function onStoredInOtherTab(key: string, onValue: (value: string) => void): () => void {
  const listener = (event: StorageEvent) => {
    if (event.key === key && event.newValue !== null && event.newValue !== event.oldValue) onValue(event.newValue)
  }
  window.addEventListener('storage', listener)
  return () => window.removeEventListener('storage', listener)
}
