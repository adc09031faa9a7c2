/**
 * The text of a PDF as `server/snapshot/planPdf.ts` makes them: every content stream inflated, and
 * the strings of its text operators (`<hex> Tj` or `(...) Tj`) decoded, one line per operator. A
 * string in a standard font (`/Helvetica`) is read as WinAnsi; one in an embedded font (Type0,
 * Identity-H: two-byte glyph ids) through that font's ToUnicode map, as a PDF reader copies text.
 * Also checks the file's frame (header, trailer) and names the fonts the pages use.
 */
import zlib from 'node:zlib'

/** WinAnsi (Windows-1252) characters at 0x80–0x9F; the rest is Latin-1. Node's TextDecoder reads these as Latin-1. */
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'
const winAnsi = (bytes: Buffer) => [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b))).join('')

/** A stream's content, inflated when it is Flate-compressed. */
function streamContent(raw: Buffer, latin: string, start: number): string {
  const end = latin.indexOf('endstream', start)
  const data = raw.subarray(start, end)
  try {
    return zlib.inflateSync(data).toString('latin1')
  } catch {
    return data.toString('latin1')
  }
}

/** UTF-16BE hex (a ToUnicode destination) as text. */
const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)))

/** A ToUnicode CMap's glyph-id → text entries (bfchar and bfrange). */
function toUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>()
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const [, from, to] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(from ?? '', 16), utf16(to ?? ''))
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const [, lo, hi, to, list] of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g)) {
      const first = parseInt(lo ?? '', 16)
      const last = parseInt(hi ?? '', 16)
      const targets = list ? [...list.matchAll(/<([0-9A-Fa-f]+)>/g)].map((m) => utf16(m[1] ?? '')) : undefined
      for (let gid = first; gid <= last; gid++) {
        if (targets) map.set(gid, targets[gid - first] ?? '')
        else {
          const base = parseInt(to ?? '', 16)
          map.set(gid, String.fromCodePoint(base + gid - first))
        }
      }
    }
  }
  return map
}

export function pdfText(bytes: Uint8Array): { pages: number; lines: string[]; fonts: string[] } {
  const raw = Buffer.from(bytes)
  const latin = raw.toString('latin1')
  if (!latin.startsWith('%PDF-') || !latin.trimEnd().endsWith('%%EOF')) throw new Error('not a complete PDF')
  // Objects by number (the file is written without object streams), and where each one's stream starts.
  const objects = new Map<string, { dict: string; stream: number | undefined }>()
  for (const match of latin.matchAll(/(\d+) 0 obj\s*([\s\S]*?)(?:stream\r?\n|endobj)/g)) {
    const [whole, id, dict] = match
    objects.set(id ?? '', { dict: dict ?? '', stream: whole.endsWith('endobj') ? undefined : (match.index ?? 0) + whole.length })
  }
  // Resource name → its font's ToUnicode map (undefined: a standard font, WinAnsi).
  const fonts = new Map<string, Map<number, string> | undefined>()
  const baseFonts = new Set<string>()
  for (const { dict } of objects.values()) {
    for (const block of dict.matchAll(/\/Font\s*<<([\s\S]*?)>>/g)) {
      for (const [, name, ref] of (block[1] ?? '').matchAll(/\/([^\s/<>[\]()]+)\s+(\d+) 0 R/g)) {
        const font = objects.get(ref ?? '')
        if (!font) throw new Error(`font ${name} refers to a missing object`)
        baseFonts.add(/\/BaseFont\s*\/([^\s/]+)/.exec(font.dict)?.[1] ?? '?')
        const cmapRef = /\/ToUnicode\s+(\d+) 0 R/.exec(font.dict)?.[1]
        const cmap = cmapRef ? objects.get(cmapRef) : undefined
        fonts.set(name ?? '', cmap?.stream !== undefined ? toUnicode(streamContent(raw, latin, cmap.stream)) : undefined)
      }
    }
  }
  const lines: string[] = []
  for (const { dict, stream } of objects.values()) {
    if (stream === undefined || /\/Subtype|\/Length1|\/CIDSystemInfo/.test(dict)) continue // font files
    const content = streamContent(raw, latin, stream)
    if (content.includes('begincmap')) continue
    let font: Map<number, string> | undefined
    for (const op of content.matchAll(/\/([^\s/<>[\]()]+)\s+[\d.]+\s+Tf|(?:<([0-9A-Fa-f]*)>|\(((?:\\.|[^\\)])*)\))\s*Tj/g)) {
      if (op[1] !== undefined) {
        if (!fonts.has(op[1])) throw new Error(`content uses font ${op[1]}, not in any page's resources`)
        font = fonts.get(op[1])
      } else if (op[2] !== undefined) {
        const hex = Buffer.from(op[2], 'hex')
        lines.push(font ? (op[2].match(/.{4}/g) ?? []).map((gid) => font?.get(parseInt(gid, 16)) ?? '\ufffd').join('') : winAnsi(hex))
      } else lines.push((op[3] ?? '').replace(/\\(.)/g, '$1'))
    }
  }
  const pages = [...latin.matchAll(/\/Type\s*\/Page[^s]/g)].length
  return { pages, lines, fonts: [...baseFonts].sort() }
}
