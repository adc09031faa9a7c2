import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import type { SerializedSchema } from '@tldraw/store'
import type { JsonObject } from '@tldraw/utils'
import { useMemo, useState } from 'react'
import { Tldraw, useValue, type Editor, type TLComponents, type TLRecord, type TLStore } from 'tldraw'
import { recordMigrator } from '../../shared/recordMigration.ts'
import type { SnapshotBoard } from '../../shared/snapshotApi.ts'
import { CardFieldViewProvider, useCardFieldExportOptions, type CardFieldView } from '../board/CardFieldView.tsx'
import { withheldSensitivity } from '../board/fieldSensitivity.ts'
import { customShapeUtils } from '../board/shapes/customShapeUtils.ts'
import { createBoardStore } from '../board/useBoardSync.ts'

// Self-hosted fonts and icons, as on the live board.
const assetUrls = getAssetUrlsByImport()

// A snapshot is looked at, not edited: no page menu, no tools.
const components: TLComponents = { PageMenu: null }

/** A separate store with the live board's shapes, holding the board's records at the snapshot. */
function loadSnapshotStore(board: SnapshotBoard): { store: TLStore; skipped: number } {
  const store = createBoardStore()
  // The records come in the schema they were stored with; migrate each one, and skip (and
  // count) any that cannot be read rather than showing nothing.
  const migrate = recordMigrator(store.schema, board.schema as unknown as SerializedSchema) // the server sends the stored schema as is
  const valid: TLRecord[] = []
  let skipped = 0
  for (const record of board.records) {
    const result = migrate(record as JsonObject)
    if (result.ok) valid.push(result.record)
    else skipped++
  }
  store.mergeRemoteChanges(() => {
    for (const record of valid) {
      try {
        store.put([record])
      } catch {
        skipped++
      }
    }
  })
  return { store, skipped }
}

/** Frames everything on the board, never zoomed in past 100 %. */
export function fitBoard(editor: Editor): void {
  const bounds = editor.getCurrentPageBounds()
  if (bounds) editor.zoomToBounds(bounds, { inset: 32, targetZoom: 1 })
}

interface SnapshotCanvasProps {
  board: SnapshotBoard
  label: string
  onMount?(editor: Editor): void
}

/** One board exactly as it was at a snapshot, read-only: pan and zoom only. */
export function SnapshotCanvas({ board, label, onMount }: SnapshotCanvasProps) {
  const { store, skipped } = useMemo(() => loadSnapshotStore(board), [board])
  const [editor, setEditor] = useState<Editor | null>(null)
  const readonly = useValue('read-only', () => editor?.getIsReadonly() ?? false, [editor])
  // A guest's board holds the fields withheld from it at their defaults: the cards leave them off
  // ([A36]), as on the guest's live board.
  const hidden = useMemo(() => (board.withheld ? withheldSensitivity(board.withheld) : null), [board])
  const fieldView: CardFieldView = { sensitivity: hidden, hideInternal: hidden !== null }
  const options = useCardFieldExportOptions(fieldView)
  return (
    <div className="snapshot-canvas" role="region" aria-label={label} data-readonly={readonly}>
      <CardFieldViewProvider view={fieldView}>
      <Tldraw
        store={store}
        options={options}
        shapeUtils={customShapeUtils}
        assetUrls={assetUrls}
        licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
        components={components}
        hideUi
        onMount={(editor) => {
          // Read-only is session state: it has to be set on every mount.
          editor.updateInstanceState({ isReadonly: true })
          fitBoard(editor)
          setEditor(editor)
          onMount?.(editor)
        }}
      />
      </CardFieldViewProvider>
      {skipped > 0 && (
        <p className="snapshot-canvas-note" role="note">
          {skipped === 1 ? '1 record' : `${skipped} records`} of this board could not be shown.
        </p>
      )}
    </div>
  )
}
