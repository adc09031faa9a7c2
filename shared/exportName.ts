/**
 * One file name for every export of a snapshot (issue 16): `<account>-<workshop>-<date>.<ext>`,
 * the date in the workshop's time zone. Latin letters lose their accents ("Zürich" → "zurich");
 * letters of other scripts stay ("Москва" → "москва", "李伟"), as every current browser keeps
 * them. The server sends the name in a `Content-Disposition` header with an ASCII stand-in beside
 * it ({@link contentDisposition}).
 */
import { dateInTimeZone } from './timeZone.ts'

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text)

/** At most this many characters, and UTF-8 bytes, per slug: two of them and a date stay well under a file system's 255 bytes. */
const MAX_SLUG_CHARS = 60
const MAX_SLUG_BYTES = 100

/**
 * Lower-case words of `text` joined by '-': accents dropped where that leaves an ASCII letter
 * ("ü" → "u"), other letters kept with their marks (a Hindi or Thai vowel sign is part of the
 * word); only ASCII when `ascii`.
 */
function slug(text: string, fallback: string, ascii: boolean): string {
  const letters = [...text.normalize('NFC')].map((char) => {
    if (/\p{M}/u.test(char)) return ascii ? '' : char // a combining mark on its own: its letter's
    const base = char.normalize('NFKD').replace(/\p{M}/gu, '')
    return isAscii(base) ? base : ascii ? '-' : char
  })
  const words = letters.join('').replace(/[^\p{L}\p{M}\p{N}]+/gu, '-').replace(/^-|-$/g, '').toLowerCase()
  const encoder = new TextEncoder()
  let cut = ''
  let count = 0
  let bytes = 0
  for (const char of words) {
    bytes += encoder.encode(char).length
    if (++count > MAX_SLUG_CHARS || bytes > MAX_SLUG_BYTES) break
    cut += char
  }
  return cut.replace(/-$/, '') || fallback
}

type Named = { account: string; title: string; takenAt: string }

/**
 * The file name of an export of a snapshot taken at `takenAt` (ISO 8601); with `ascii`, the same in
 * ASCII only (other scripts' letters left out), for clients that cannot take more.
 *
 * @example exportFileName({ account: 'Acme Corp', title: 'FY27 planning', takenAt: '2026-12-03T09:00:00Z' }, 'Europe/Berlin', 'pdf') // 'acme-corp-fy27-planning-2026-12-03.pdf'
 */
export function exportFileName(plan: Named, timeZone: string, extension: string, ascii = false): string {
  return `${slug(plan.account, 'account', ascii)}-${slug(plan.title, 'workshop', ascii)}-${dateInTimeZone(new Date(plan.takenAt), timeZone)}.${extension}`
}

/**
 * The `Content-Disposition` of an export download: the ASCII name in `filename`, and where the
 * name has other letters, the whole name in `filename*` (RFC 6266, UTF-8), which browsers prefer.
 */
export function contentDisposition(plan: Named, timeZone: string, extension: string): string {
  const name = exportFileName(plan, timeZone, extension)
  const ascii = `attachment; filename="${exportFileName(plan, timeZone, extension, true)}"`
  if (isAscii(name)) return ascii
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
  return `${ascii}; filename*=UTF-8''${encoded}`
}

/** The file name a download's `Content-Disposition` gives: `filename*` when present, else `filename`. */
export function dispositionFileName(header: string | null): string | null {
  if (!header) return null
  const extended = /filename\*=UTF-8''([^;\s]+)/i.exec(header)?.[1]
  if (extended) {
    try {
      return decodeURIComponent(extended)
    } catch {
      // A malformed name falls back to the plain one.
    }
  }
  return /filename="([^"]+)"/.exec(header)?.[1] ?? null
}
