import type { ViewAction } from '../../shared/plan.ts'
import type { PlanDiff } from '../../shared/planDiff.ts'
import { LABELS } from '../../shared/shapes.ts'
import { shownField, type Withheld } from '../../shared/withheld.ts'
import { FieldValue, ItemTitle } from './Changes.tsx'
import { formatDay } from './format.ts'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'
import { PlanTableSection } from './PlanTableSection.tsx'
import { actionsInColumnOrder } from '../../shared/actionOrder.ts'
import { NOT_SHARED, titleOf } from '../../shared/planLabels.ts'

const ACTION_COLUMNS = [['title', 'Action'], ['owner', 'Owner'], ['due', 'Due'], ['status', 'Status']] as const

/** The action table: overdue actions stand out, changes since the previous snapshot are marked. */
export function ActionSection({ actions, diff, withheld }: { actions: readonly ViewAction[]; diff: PlanDiff['actions']; withheld: Withheld | undefined }) {
  const changes = sectionChanges(diff, (action) => action.id)
  // A withheld field ([A36]) has no column; the title's column holds the action whatever is withheld.
  const shown = shownField(withheld, 'action')
  const columns = ACTION_COLUMNS.filter(([field]) => field === 'title' || shown(field))
  const overdue = actions.filter((action) => action.overdue).length
  return (
    <PlanTableSection
      id="actions"
      title="Actions"
      count={actions.length}
      badges={overdue > 0 && <span className="count count-alert">{overdue} overdue</span>}
      label="Actions"
      columns={columns.map(([, header]) => header)}
      empty="No action cards on the plan."
      removed={changes?.removed.map((action) => titleOf('action', action.title, 'Untitled action'))}
    >
      {actionsInColumnOrder(actions).map((action) => (
        <ActionRow key={action.id} action={action} shown={shown} change={changes?.byId.get(action.id)} />
      ))}
    </PlanTableSection>
  )
}

function ActionRow({ action, shown, change }: { action: ViewAction; shown: (field: string) => boolean; change: ItemChange | undefined }) {
  const status = fieldChange(change, 'status')
  const due = fieldChange(change, 'due')
  return (
    <tr className={`plan-row${changeClass(change)}${action.overdue ? ' is-overdue' : ''}`} data-id={action.id}>
      <td>
        <ItemTitle field="title" value={action.title ?? ''} placeholder={shown('title') ? 'Untitled action' : NOT_SHARED.action} change={change} />
        {!shown('due') && action.overdue && <span className="pill pill-overdue">Overdue</span>}
      </td>
      {shown('owner') && (
        <td>
          <FieldValue field="owner" value={action.owner ?? null} change={fieldChange(change, 'owner')} />
        </td>
      )}
      {shown('due') && (
        <td className="due-cell">
          {due ? <FieldValue field="due" value={action.due ?? null} change={due} /> : action.due ? formatDay(action.due) : '—'}
          {action.overdue && <span className="pill pill-overdue">Overdue</span>}
        </td>
      )}
      {shown('status') && (
        <td>
          {status ? (
            <FieldValue field="status" value={action.status ?? null} change={status} />
          ) : (
            action.status && <span className={`pill pill-status pill-status-${action.status}`}>{LABELS.status[action.status]}</span>
          )}
        </td>
      )}
    </tr>
  )
}
