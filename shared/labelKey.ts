/**
 * How a business unit, offering or competitor name is matched wherever the plan groups or looks
 * up by it ([P13], [P15]): case, surrounding spaces and repeated inner spaces ignored, so a cell
 * typed "freight" or "Freight " counts for the row "Freight" (QA q33b).
 * @example labelKey('  Freight   Forwarding ') === labelKey('freight forwarding') // true
 */
export function labelKey(label: string): string {
  return label.trim().replace(/\s+/g, ' ').toLowerCase()
}
