import { useState } from 'react'
import { exportFileName } from '../../shared/exportName.ts'
import type { PlanView } from '../../shared/plan.ts'
import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'
import { fetchSnapshotExport, type SnapshotExport } from '../api.ts'
import { downloadBlob } from '../components/downloadBlob.ts'
import { FormError } from '../components/FormError.tsx'

const EXPORTS: ReadonlyArray<{ kind: SnapshotExport; label: string; extension: string; title: string }> = [
  { kind: 'pdf', label: 'PDF', extension: 'pdf', title: 'The plan on one page, for the sponsor' },
  { kind: 'markdown', label: 'Markdown', extension: 'md', title: 'The account plan as a readable document' },
  { kind: 'actions-csv', label: 'Actions CSV', extension: 'actions.csv', title: 'The action table for spreadsheets' },
  { kind: 'stakeholders-csv', label: 'Stakeholders CSV', extension: 'stakeholders.csv', title: 'The stakeholder table for a CRM import' },
  { kind: 'objectives-csv', label: 'Objectives CSV', extension: 'objectives.csv', title: 'Objectives and KPIs with the actions serving them' },
  { kind: 'whitespace-csv', label: 'Whitespace CSV', extension: 'whitespace.csv', title: 'The whitespace matrix, one row per cell' },
  { kind: 'whitespace-units-csv', label: 'Units CSV', extension: 'whitespace-units.csv', title: 'Opportunities and share of wallet per business unit' },
  { kind: 'competitors-csv', label: 'Competitors CSV', extension: 'competitors.csv', title: 'The competitor matrix' },
  { kind: 'votes-csv', label: 'Votes CSV', extension: 'votes.csv', title: 'Each revealed vote’s items, ranked' },
  { kind: 'notes-csv', label: 'Notes CSV', extension: 'notes.csv', title: 'The notes written on the other boards beside their cards' },
  { kind: 'json', label: 'JSON', extension: 'json', title: 'The plan record (see /api/schema/plan.json)' },
]

/** The sections a full plan record has: a plan missing one, or with fields withheld, is a view of one. */
const RECORD_SECTIONS = ['swot', 'stakeholders', 'relationships', 'actions', 'objectives', 'whitespace', 'competitors'] as const

/** The JSON button's hint: the schema this viewer's plan follows (a customer guest's is a view). */
function jsonTitle(plan: PlanView): string {
  // A guest's plan never has health ([A22]), even with every board shared and nothing withheld.
  const full = plan.withheld === undefined && plan.health !== undefined && RECORD_SECTIONS.every((section) => plan[section] !== undefined)
  return full ? 'The plan record (see /api/schema/plan.json)' : 'The plan as you may see it (see /api/schema/plan-view.json)'
}

/**
 * Downloads of the snapshot: the PDF for the sponsor, Markdown, the CSV tables, the JSON record.
 * A file the server does not name (JSON) is named as it names the others: the date in the
 * workshop's time zone (`timeZone`; the server's default when the workshop has none), not the browser's.
 */
export function ExportButtons({ workshopId, plan, timeZone }: { workshopId: string; plan: PlanView; timeZone: string | undefined }) {
  const [busy, setBusy] = useState<SnapshotExport | null>(null)
  const [error, setError] = useState<string | null>(null)
  const sections: Partial<Record<SnapshotExport, unknown>> = {
    'actions-csv': plan.actions,
    'stakeholders-csv': plan.stakeholders,
    'objectives-csv': plan.objectives,
    'whitespace-csv': plan.whitespace,
    'whitespace-units-csv': plan.whitespace,
    'competitors-csv': plan.competitors,
  }
  // An export of a section the viewer may not see (or of votes or notes when there are none) is not offered.
  const available = (kind: SnapshotExport) => {
    if (kind === 'votes-csv') return plan.votes.length > 0
    if (kind === 'notes-csv') return (plan.notes?.length ?? 0) > 0
    return !(kind in sections) || sections[kind] !== undefined
  }

  const run = async (kind: SnapshotExport, extension: string) => {
    setBusy(kind)
    setError(null)
    try {
      const file = await fetchSnapshotExport(workshopId, plan.id, kind)
      downloadBlob(file.blob, file.fileName ?? exportFileName(plan, timeZone ?? DEFAULT_TIME_ZONE, extension))
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
          <button key={kind} type="button" className="segmented-button" title={kind === 'json' ? jsonTitle(plan) : title} aria-disabled={busy !== null || undefined} aria-busy={busy === kind || undefined} onClick={() => busy === null && void run(kind, extension)}>
            {label}
          </button>
        ))}
      </div>
      <FormError error={error} inline />
    </div>
  )
}
