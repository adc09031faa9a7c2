/**
 * Export file names (shared/exportName.ts) keep the letters of every script with their marks: a
 * Hindi or Thai vowel sign is part of its word (review: "हिन्दी" lost its signs, "हनद"); Latin
 * letters lose their accents; each part stays within 60 characters and 100 UTF-8 bytes, so the
 * whole name stays well under a file system's 255 bytes.
 */
import { expect, test } from 'vitest'
import { exportFileName } from '../../shared/exportName.ts'

const named = (account: string) => exportFileName({ account, title: 'FY27', takenAt: '2026-12-03T09:00:00Z' }, 'UTC', 'pdf')

test('letters keep their combining marks; Latin accents go', () => {
  expect(named('हिन्दी कंपनी')).toBe('हिन्दी-कंपनी-fy27-2026-12-03.pdf')
  expect(named('บริษัท')).toBe('บริษัท-fy27-2026-12-03.pdf')
  expect(named('Zürich Re')).toBe('zurich-re-fy27-2026-12-03.pdf')
  expect(named('Йошкар-Ола')).toBe('йошкар-ола-fy27-2026-12-03.pdf')
})

test('a long name is cut to 60 characters and 100 UTF-8 bytes', () => {
  const cjk = named('李伟'.repeat(60)).split('-fy27')[0] ?? ''
  expect(new TextEncoder().encode(cjk).length).toBeLessThanOrEqual(100)
  expect(cjk.length).toBeGreaterThan(20)
  expect(named('a'.repeat(80)).split('-fy27')[0]).toBe('a'.repeat(60))
})
