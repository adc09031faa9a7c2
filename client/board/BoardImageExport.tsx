import { useState } from 'react'
import type { Editor } from 'tldraw'
import type { Workshop } from '../../shared/api.ts'
import type { BoardId } from '../../shared/boards.ts'
import { exportFileName } from '../../shared/exportName.ts'
import { downloadBlob } from '../components/downloadBlob.ts'
import { FormError } from '../components/FormError.tsx'

const FORMATS = ['png', 'svg'] as const
/** The image formats a board exports to. */
export type ImageFormat = (typeof FORMATS)[number]

/**
 * The name of a board's image, like every other export (`shared/exportName.ts`) with the board
 * before the extension, as the CSVs carry their table: `acme-fy27-2026-12-03.swot.png`. The date
 * is today's in the workshop's time zone.
 */
export function boardImageName(workshop: Workshop | null, board: BoardId, format: ImageFormat, now = new Date()): string {
  const named = { account: workshop?.account ?? '', title: workshop?.title ?? '', takenAt: now.toISOString() }
  return exportFileName(named, workshop?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone, `${board}.${format}`)
}

/**
 * Downloads the board as a PNG or SVG image made in the page by tldraw (`editor.toImage`), of
 * every shape on it, named by `fileName` (see {@link boardImageName}). It exports only the board
 * the page shows, so a guest, whose pages only ever hold customer-facing boards ([A6]), only
 * exports those; the workshop page hides it once a board is withdrawn.
 */
export function BoardImageExport({ editor, fileName }: { editor: Editor; fileName(format: ImageFormat): string }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const run = async (format: ImageFormat) => {
    setBusy(true)
    setError(null)
    try {
      const shapes = [...editor.getCurrentPageShapeIds()]
      if (shapes.length === 0) throw new Error('The board is empty.')
      const { blob } = await editor.toImage(shapes, { format, background: true, padding: 32 })
      downloadBlob(blob, fileName(format))
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'Could not export the board.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <div className="board-image-export" role="group" aria-label="Export board image">
      {FORMATS.map((format) => (
        <button
          key={format}
          type="button"
          className="button button-small"
          // Not `disabled`: the focus would drop to the page's body while the export runs (QA q29c).
          aria-disabled={busy || undefined}
          title={`The board as a ${format.toUpperCase()} image`}
          aria-label={`Export board as ${format.toUpperCase()}`}
          onClick={() => !busy && void run(format)}
        >
          {format.toUpperCase()}
        </button>
      ))}
      <FormError error={error} inline />
    </div>
  )
}
