/**
 * Timeline collapsing (docs/accounts.md [K8]): automatic snapshots (end of session, periodic) that
 * follow one another in the same workshop, unnamed, with nothing changed in the plan between
 * them, show as one entry: the newest, standing for the older ones. Manual, named and
 * before-restore snapshots always show on their own.
 */
import type { PlanView } from '../../shared/plan.ts'
import type { AccountSnapshot } from '../store/Store.ts'

const COLLAPSIBLE = new Set(['session_end', 'periodic'])

/**
 * What a plan says, without what only describes the snapshot (id, time, trigger, label, who was
 * there) and without its health, which is computed from the rest and from the time it was taken
 * (freshness, overdue days: docs/plan-health.md), so it moves while nothing on the boards does.
 */
export function planContent(plan: PlanView): string {
  const { id: _id, takenAt: _takenAt, trigger: _trigger, label: _label, participants: _participants, health: _health, ...content } = plan
  return JSON.stringify(content)
}

/** A timeline entry: a snapshot and the ids of the older ones it stands for. */
export type CollapsedEntry = AccountSnapshot & { collapsed: string[] }

/**
 * Collapses `snapshots` (newest first). `planOf` reads a snapshot's plan; one it cannot read
 * (undefined, or a throw) never collapses.
 */
export async function collapseTimeline(
  snapshots: readonly AccountSnapshot[],
  planOf: (snapshot: AccountSnapshot) => Promise<PlanView | undefined>,
): Promise<CollapsedEntry[]> {
  const entries: CollapsedEntry[] = []
  let head: { entry: CollapsedEntry; content: string } | undefined
  for (const snapshot of snapshots) {
    const collapsible = COLLAPSIBLE.has(snapshot.summary.trigger) && snapshot.summary.label === null
    const plan = collapsible ? await planOf(snapshot).catch(() => undefined) : undefined
    const content = plan ? planContent(plan) : undefined
    if (head && content !== undefined && head.entry.workshopId === snapshot.workshopId && head.content === content) {
      head.entry.collapsed.push(snapshot.summary.id)
      continue
    }
    const entry: CollapsedEntry = { ...snapshot, collapsed: [] }
    entries.push(entry)
    head = content === undefined ? undefined : { entry, content }
  }
  return entries
}
