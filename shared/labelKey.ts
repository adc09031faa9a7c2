import { normalAccountName } from './api.ts'

/**
 * How a business unit, offering or competitor name is matched wherever the plan groups or looks
 * up by it ([P13], [P15]): as an account name is spaced (normalAccountName), case ignored, so a cell
 * typed "freight" or "Freight " counts for the row "Freight" (QA q33b).
 * @example labelKey('  Freight   Forwarding ') === labelKey('freight forwarding') // true
 */
export function labelKey(label: string): string {
  return normalAccountName(label).toLowerCase()
}
