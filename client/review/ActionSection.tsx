import type { PlanAction } from '../../shared/plan.ts'
import type { PlanDiff } from '../../shared/planDiff.ts'
import { LABELS } from '../../shared/shapes.ts'
import { FieldValue, ItemTitle } from './Changes.tsx'
import { formatDay } from './format.ts'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'
import { PlanTableSection } from './PlanTableSection.tsx'

/** The action table: overdue actions stand out, changes since the previous snapshot are marked. */
export function ActionSection({ actions, diff }: { actions: readonly PlanAction[]; diff: PlanDiff['actions'] }) {
  const changes = sectionChanges(diff, (action) => action.id)
  const overdue = actions.filter((action) => action.overdue).length
  return (
    <PlanTableSection
      id="actions"
      title="Actions"
      count={actions.length}
      badges={overdue > 0 && <span className="count count-alert">{overdue} overdue</span>}
      label="Actions"
      columns={['Action', 'Owner', 'Due', 'Status']}
      empty="No action cards on the plan."
      removed={changes?.removed.map((action) => action.title || 'Untitled action')}
    >
      {actions.map((action) => (
        <ActionRow key={action.id} action={action} change={changes?.byId.get(action.id)} />
      ))}
    </PlanTableSection>
  )
}

function ActionRow({ action, change }: { action: PlanAction; change: ItemChange | undefined }) {
  const status = fieldChange(change, 'status')
  const due = fieldChange(change, 'due')
  return (
    <tr className={`plan-row${changeClass(change)}${action.overdue ? ' is-overdue' : ''}`} data-id={action.id}>
      <td>
        <ItemTitle field="title" value={action.title} placeholder="Untitled action" change={change} />
      </td>
      <td>
        <FieldValue field="owner" value={action.owner} change={fieldChange(change, 'owner')} />
      </td>
      <td className="due-cell">
        {due ? <FieldValue field="due" value={action.due} change={due} /> : action.due ? formatDay(action.due) : '—'}
        {action.overdue && <span className="pill pill-overdue">Overdue</span>}
      </td>
      <td>
        {status ? (
          <FieldValue field="status" value={action.status} change={status} />
        ) : (
          <span className={`pill pill-status pill-status-${action.status}`}>{LABELS.status[action.status]}</span>
        )}
      </td>
    </tr>
  )
}
