/**
 * One file name for every export of a snapshot (issue 16): `<account>-<workshop>-<date>.<ext>`,
 * the date in the workshop's time zone, ASCII only so that every browser keeps it.
 */
import { dateInTimeZone } from './timeZone.ts'

function slug(text: string, fallback: string): string {
  const ascii = text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^A-Za-z0-9]+/g, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60).replace(/-$/, '')
  return ascii || fallback
}

/**
 * The file name of an export of a snapshot taken at `takenAt` (ISO 8601).
 *
 * @example exportFileName({ account: 'Acme Corp', title: 'FY27 planning', takenAt: '2026-12-03T09:00:00Z' }, 'Europe/Berlin', 'pdf') // 'acme-corp-fy27-planning-2026-12-03.pdf'
 */
export function exportFileName(plan: { account: string; title: string; takenAt: string }, timeZone: string, extension: string): string {
  return `${slug(plan.account, 'account')}-${slug(plan.title, 'workshop')}-${dateInTimeZone(new Date(plan.takenAt), timeZone)}.${extension}`
}
