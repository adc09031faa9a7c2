import { useState } from 'react'
import type { PlanView } from '../../shared/plan.ts'
import { fetchSnapshotExport, type SnapshotExport } from '../api.ts'

const EXPORTS: ReadonlyArray<{ kind: SnapshotExport; label: string; extension: string; title: string }> = [
  { kind: 'markdown', label: 'Markdown', extension: 'md', title: 'The account plan as a readable document' },
  { kind: 'actions-csv', label: 'Actions CSV', extension: 'actions.csv', title: 'The action table for spreadsheets' },
  { kind: 'stakeholders-csv', label: 'Stakeholders CSV', extension: 'stakeholders.csv', title: 'The stakeholder table for a CRM import' },
  { kind: 'votes-csv', label: 'Votes CSV', extension: 'votes.csv', title: 'Each revealed vote’s items, ranked' },
  { kind: 'json', label: 'JSON', extension: 'json', title: 'The plan record (see /api/schema/plan.json)' },
]

/** A file name such as `northwind-logistics-2026-11-22.md`, when the server does not name the file. */
function fileName(plan: PlanView, extension: string): string {
  const slug = plan.account
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
  return `${slug || 'account-plan'}-${plan.takenAt.slice(0, 10)}.${extension}`
}

function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const link = document.createElement('a')
  link.href = url
  link.download = name
  document.body.append(link)
  link.click()
  link.remove()
  // Give the browser a moment to start the download before the URL goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

/** Downloads of the snapshot: Markdown, the two CSV tables, the JSON record. */
export function ExportButtons({ workshopId, plan }: { workshopId: string; plan: PlanView }) {
  const [busy, setBusy] = useState<SnapshotExport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const available = (kind: SnapshotExport) =>
    kind === 'actions-csv' ? plan.actions !== undefined : kind === 'stakeholders-csv' ? plan.stakeholders !== undefined : kind === 'votes-csv' ? plan.votes.length > 0 : true

  const run = async (kind: SnapshotExport, extension: string) => {
    setBusy(kind)
    setError(null)
    try {
      const file = await fetchSnapshotExport(workshopId, plan.id, kind)
      download(file.blob, file.fileName ?? fileName(plan, extension))
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught))
    } finally {
      setBusy(null)
    }
  }

  return (
    <div className="export-buttons" role="group" aria-label="Export">
      <span className="export-label">Export</span>
      <div className="segmented">
        {EXPORTS.filter(({ kind }) => available(kind)).map(({ kind, label, extension, title }) => (
          <button key={kind} type="button" className="segmented-button" title={title} disabled={busy !== null} onClick={() => void run(kind, extension)}>
            {label}
          </button>
        ))}
      </div>
      {error && (
        <span className="form-error small" role="alert">
          {error}
        </span>
      )}
    </div>
  )
}
