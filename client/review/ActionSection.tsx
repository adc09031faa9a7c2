import type { PlanAction } from '../../shared/plan.ts'
import type { PlanDiff } from '../../shared/planDiff.ts'
import { LABELS } from '../../shared/shapes.ts'
import { ChangeBadge, FieldValue, RemovedList } from './Changes.tsx'
import { formatDay } from './format.ts'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'

/** The action table: overdue actions stand out, changes since the previous snapshot are marked. */
export function ActionSection({ actions, diff }: { actions: readonly PlanAction[]; diff: PlanDiff['actions'] }) {
  const changes = sectionChanges(diff, (action) => action.id)
  const overdue = actions.filter((action) => action.overdue).length
  return (
    <section className="plan-section" aria-labelledby="plan-actions-heading">
      <h2 id="plan-actions-heading" className="plan-section-heading">
        Actions <span className="count">{actions.length}</span>
        {overdue > 0 && <span className="count count-alert">{overdue} overdue</span>}
      </h2>
      {actions.length === 0 ? (
        <p className="empty-hint">No action cards on the plan.</p>
      ) : (
        <div className="table-wrap">
          <table className="plan-table" aria-label="Actions">
            <thead>
              <tr>
                <th scope="col">Action</th>
                <th scope="col">Owner</th>
                <th scope="col">Due</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {actions.map((action) => (
                <ActionRow key={action.id} action={action} change={changes?.byId.get(action.id)} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {changes && changes.removed.length > 0 && (
        <RemovedList title="Removed since the previous snapshot" items={changes.removed.map((action) => action.title || 'Untitled action')} />
      )}
    </section>
  )
}

function ActionRow({ action, change }: { action: PlanAction; change: ItemChange | undefined }) {
  const status = fieldChange(change, 'status')
  const due = fieldChange(change, 'due')
  return (
    <tr className={`plan-row${changeClass(change)}${action.overdue ? ' is-overdue' : ''}`} data-id={action.id}>
      <td>
        <div className="person-cell">
          <strong>
            {action.title ? (
              <FieldValue field="title" value={action.title} change={fieldChange(change, 'title')} />
            ) : (
              <span className="placeholder">Untitled action</span>
            )}
          </strong>
          <ChangeBadge change={change} />
        </div>
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
