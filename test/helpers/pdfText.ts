/**
 * The text of a PDF made with the standard fonts (as `server/snapshot/planPdf.ts` makes them):
 * every content stream inflated, and the strings of its text operators (`<hex> Tj` or `(...) Tj`)
 * decoded as WinAnsi, one line per operator. Also checks the file's frame (header, trailer).
 */
import zlib from 'node:zlib'

/** WinAnsi (Windows-1252) characters at 0x80–0x9F; the rest is Latin-1. Node's TextDecoder reads these as Latin-1. */
const WIN_ANSI_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ'
const winAnsi = { decode: (bytes: Buffer) => [...bytes].map((b) => (b >= 0x80 && b <= 0x9f ? WIN_ANSI_HIGH[b - 0x80] : String.fromCharCode(b))).join('') }

export function pdfText(bytes: Uint8Array): { pages: number; lines: string[] } {
  const raw = Buffer.from(bytes)
  const latin = raw.toString('latin1')
  if (!latin.startsWith('%PDF-') || !latin.trimEnd().endsWith('%%EOF')) throw new Error('not a complete PDF')
  const lines: string[] = []
  const streamPattern = /stream\r?\n/g
  let match: RegExpExecArray | null
  while ((match = streamPattern.exec(latin))) {
    const start = match.index + match[0].length
    const end = latin.indexOf('endstream', start)
    const data = raw.subarray(start, end)
    let content: string
    try {
      content = zlib.inflateSync(data).toString('latin1')
    } catch {
      content = data.toString('latin1')
    }
    for (const op of content.matchAll(/(?:<([0-9A-Fa-f]*)>|\(((?:\\.|[^\\)])*)\))\s*Tj/g)) {
      lines.push(op[1] !== undefined ? winAnsi.decode(Buffer.from(op[1], 'hex')) : (op[2] ?? '').replace(/\\(.)/g, '$1'))
    }
  }
  const pages = [...latin.matchAll(/\/Type\s*\/Page[^s]/g)].length
  return { pages, lines }
}
