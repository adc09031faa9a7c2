/**
 * A workshop's time zone: an IANA name such as `Europe/Berlin`. A snapshot judges overdue actions
 * by the calendar date there when it is taken ([P9] in docs/plan-extraction.md), so an action due
 * today is not overdue in the evening of a workshop west of Greenwich.
 */
import { z } from 'zod'

/** The time zone of a workshop created without one, and of workshops stored before there was one. */
export const DEFAULT_TIME_ZONE = 'UTC'

// Names the runtime gave back as canonical (a few hundred at most: never what a caller passed in).
// Storage re-reads every workshop's stored, already canonical zone: asking Intl each time made a
// formatter per read (~80 µs and ICU objects in native memory until the next GC), and the first
// one maps ICU's zone data (~6 MB of RSS) into a server whose workshops all keep the default.
const canonicalNames = new Set<string>([DEFAULT_TIME_ZONE])

/**
 * The runtime's canonical name for `name` (`utc` → `UTC`), or undefined when it knows no such zone.
 *
 * @example canonicalTimeZone('europe/berlin') // 'Europe/Berlin'
 * @example canonicalTimeZone('Mars/Olympus_Mons') // undefined
 */
export function canonicalTimeZone(name: string): string | undefined {
  if (canonicalNames.has(name)) return name
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone
    canonicalNames.add(canonical)
    return canonical
  } catch {
    return undefined
  }
}

/** An IANA time zone name the runtime knows, parsed to its canonical spelling. */
export const TimeZoneSchema = z
  .string()
  .trim()
  .min(1, 'timeZone must not be empty')
  .max(64, 'timeZone is too long')
  .transform((name, ctx) => {
    const canonical = canonicalTimeZone(name)
    if (canonical === undefined) {
      ctx.addIssue({ code: 'custom', message: `unknown time zone "${name}" (use an IANA name such as "Europe/Berlin")` })
      return z.NEVER
    }
    return canonical
  })

/**
 * The calendar date `YYYY-MM-DD` in `timeZone` at `instant`.
 *
 * @example dateInTimeZone(new Date('2026-03-01T02:00:00Z'), 'America/New_York') // '2026-02-28'
 */
export function dateInTimeZone(instant: Date, timeZone: string): string {
  // Most workshops keep UTC: no formatter (~0.5 ms to make, every snapshot) for the ISO date.
  if (timeZone === DEFAULT_TIME_ZONE) return instant.toISOString().slice(0, 10)
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant)
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? ''
  return `${part('year')}-${part('month')}-${part('day')}`
}
