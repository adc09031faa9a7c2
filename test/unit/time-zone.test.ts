import { expect, test } from 'vitest'
import { TimeZoneSchema, canonicalTimeZone, dateInTimeZone } from '../../shared/timeZone.ts'

test('canonicalTimeZone spells known zones canonically and knows no invented ones', () => {
  expect(canonicalTimeZone('utc')).toBe('UTC')
  expect(canonicalTimeZone('america/new_york')).toBe('America/New_York')
  expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined()
  expect(canonicalTimeZone('')).toBeUndefined()
})

test('canonicalTimeZone answers the same when asked again, for canonical and for other spellings', () => {
  for (let i = 0; i < 2; i++) {
    expect(canonicalTimeZone('UTC')).toBe('UTC')
    expect(canonicalTimeZone('Asia/Tokyo')).toBe('Asia/Tokyo')
    expect(canonicalTimeZone('asia/tokyo')).toBe('Asia/Tokyo')
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeUndefined()
  }
})

test('TimeZoneSchema trims and canonicalises, and rejects what is not a zone with a readable message', () => {
  expect(TimeZoneSchema.parse(' Europe/Berlin ')).toBe('Europe/Berlin')
  const unknown = TimeZoneSchema.safeParse('Europe/Atlantis')
  expect(unknown.success).toBe(false)
  expect(unknown.error?.issues[0]?.message).toMatch(/unknown time zone "Europe\/Atlantis"/)
  expect(TimeZoneSchema.safeParse('   ').success).toBe(false)
  expect(TimeZoneSchema.safeParse('x'.repeat(65)).success).toBe(false)
  expect(TimeZoneSchema.safeParse(1).success).toBe(false)
})

test('dateInTimeZone gives the calendar date where the workshop is', () => {
  const instant = new Date('2026-03-01T02:00:00Z')
  expect(dateInTimeZone(instant, 'UTC')).toBe('2026-03-01')
  expect(dateInTimeZone(instant, 'America/New_York')).toBe('2026-02-28')
  expect(dateInTimeZone(instant, 'Asia/Tokyo')).toBe('2026-03-01')
  // Either side of the date line at one instant: 25 hours apart.
  const evening = new Date('2026-11-22T20:00:00Z')
  expect(dateInTimeZone(evening, 'Pacific/Kiritimati')).toBe('2026-11-23')
  expect(dateInTimeZone(evening, 'Pacific/Pago_Pago')).toBe('2026-11-22')
  // Across a daylight-saving change (Berlin moves to UTC+2 at 01:00 UTC on 29 March 2026).
  expect(dateInTimeZone(new Date('2026-03-28T22:30:00Z'), 'Europe/Berlin')).toBe('2026-03-28')
  expect(dateInTimeZone(new Date('2026-03-29T22:30:00Z'), 'Europe/Berlin')).toBe('2026-03-30')
})
