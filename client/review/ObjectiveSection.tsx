import type { Swot, ViewAction, ViewObjective } from '../../shared/plan.ts'
import type { FieldChange, PlanDiff } from '../../shared/planDiff.ts'
import { linkNames, NOT_SHARED, titleOf, type LinkNames } from '../../shared/planLabels.ts'
import { LABELS } from '../../shared/shapes.ts'
import { shownField, type Withheld } from '../../shared/withheld.ts'
import { FieldValue, ItemTitle, OtherChanges } from './Changes.tsx'
import { formatDay, formatMoney, objectiveChanges } from './format.ts'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'
import { PlanTableSection } from './PlanTableSection.tsx'

/**
 * Fields with a cell of their own; changes to the others are listed under the objective. The unit
 * is among the others: it follows the amounts, but its change must be read as one (QA q33b).
 */
const SHOWN = ['objective', 'kpiType', 'measure', 'baseline', 'target', 'targetDate', 'owner', 'status', 'pastTargetDate', 'actions', 'addresses'] as const

interface ObjectiveSectionProps {
  objectives: readonly ViewObjective[]
  /** The action plan, to name the actions that serve each objective; absent when this viewer may not see it. */
  actions: readonly ViewAction[] | undefined
  /** The SWOT, to name the notes each objective answers; absent when this viewer may not see it. */
  swot: Swot | undefined
  diff: PlanDiff['objectives']
  /** What the diff's items were called, by id, on either side (`PlanDiff.names`): the notes an objective answered before. */
  diffNames?: PlanDiff['names']
  /** Fields withheld from this viewer ([A36]): no column, no label, no value. */
  withheld: Withheld | undefined
}

/**
 * Objectives & KPIs (issue 15): each objective with its KPI, baseline and target, target date,
 * owner, status, the SWOT notes it answers (first lines) and the actions linked to it; then the
 * actions that serve no objective.
 */
export function ObjectiveSection({ objectives, actions, swot, diff, diffNames, withheld }: ObjectiveSectionProps) {
  const changes = sectionChanges(diff, (objective) => objective.id)
  const shown = shownField(withheld, 'objective')
  // Baseline, target and target date share a column, named by what it shows (e.g. only the target
  // date); a column whose every field is withheld from this viewer is left out.
  const range = [...(shown('baseline') ? ['Baseline'] : []), ...(shown('target') ? ['target'] : [])].join(' → ') || (shown('targetDate') ? 'Target date' : '')
  const columns = [
    'Objective',
    ...(kpiColumn(shown) ? ['KPI'] : []),
    ...(range ? [range.charAt(0).toUpperCase() + range.slice(1)] : []),
    ...(shown('owner') ? ['Owner'] : []),
    ...(shown('status') ? ['Status'] : []),
    'Actions',
  ]
  const titles = new Map(actions?.map((action) => [action.id, titleOf('action', action.title, 'Untitled action')]))
  const names = linkNames({ swot })
  const atRisk = objectives.filter((o) => o.status === 'at_risk' || o.status === 'off_track').length
  // [P9] judged on the snapshot's day, as the card flags it: past its target date and not achieved.
  const late = objectives.filter((o) => o.pastTargetDate).length
  const unlinked = actions?.filter((action) => action.objectives.length === 0) ?? []
  return (
    <PlanTableSection
      id="objectives"
      title="Objectives & KPIs"
      count={objectives.length}
      badges={
        (atRisk > 0 || late > 0) && (
          <>
            {atRisk > 0 && <span className="count count-alert">{atRisk} at risk or off track</span>}
            {late > 0 && <span className="count count-alert">{late} past target date</span>}
          </>
        )
      }
      label="Objectives"
      columns={columns}
      empty="No objective cards on the board."
      removed={changes?.removed.map((objective) => titleOf('objective', objective.objective, 'Untitled objective'))}
      after={
        unlinked.length > 0 && (
          <div className="unlinked-actions">
            <h3>Actions serving no objective</h3>
            <ul aria-label="Actions serving no objective">
              {unlinked.map((action) => (
                <li key={action.id}>{titleOf('action', action.title, 'Untitled action')}</li>
              ))}
            </ul>
          </div>
        )
      }
    >
      {objectives.map((objective) => (
        <ObjectiveRow key={objective.id} objective={objective} titles={titles} names={names} diffNames={diffNames} shown={shown} change={changes?.byId.get(objective.id)} />
      ))}
    </PlanTableSection>
  )
}

/** Whether the KPI column shows anything: its kind or its measure. */
const kpiColumn = (shown: (field: string) => boolean) => shown('kpiType') || shown('measure')

/** Whether the baseline → target column shows anything: one of them, or the target date. */
const rangeColumn = (shown: (field: string) => boolean) => shown('baseline') || shown('target') || shown('targetDate')

function ObjectiveRow({
  objective,
  titles,
  names,
  diffNames,
  shown,
  change,
}: {
  objective: ViewObjective
  titles: ReadonlyMap<string, string>
  names: LinkNames
  diffNames: PlanDiff['names']
  shown: (field: string) => boolean
  change: ItemChange | undefined
}) {
  const unit = objective.unit ?? ''
  // The amounts each in the unit it had, and one in a new unit changed though its number is not.
  const amounts = change?.kind === 'changed' ? new Map(objectiveChanges([...change.fields.values()], objective).map((read) => [read.field, read])) : undefined
  const baseline = amounts?.get('baseline')
  const target = amounts?.get('target')
  const targetDate = fieldChange(change, 'targetDate')
  const measure = fieldChange(change, 'measure')
  const status = fieldChange(change, 'status')
  const actions = fieldChange(change, 'actions')
  const addresses = fieldChange(change, 'addresses')
  const answers = names.notes(objective.addresses)
  return (
    <tr className={`plan-row${changeClass(change)}${objective.pastTargetDate ? ' is-overdue' : ''}`} data-id={objective.id}>
      <td>
        <ItemTitle field="objective" value={objective.objective ?? ''} placeholder={shown('objective') ? 'Untitled objective' : NOT_SHARED.objective} change={change} />
        {objective.strategy && <small className="muted">{objective.strategy}</small>}
        {answers && answers.length > 0 && <small className="muted objective-answers">Answers: {answers.join('; ')}</small>}
        {addresses && <small className="muted change-note">SWOT notes it answers changed (before: {notesBefore(addresses.before, names, diffNames)})</small>}
        <OtherChanges change={change} shown={SHOWN} />
      </td>
      {kpiColumn(shown) && (
        <td>
          {shown('kpiType') && <FieldValue field="kpiType" value={objective.kpiType ?? null} change={fieldChange(change, 'kpiType')} />}
          {(objective.measure || measure) && (
            <small className="muted">
              {shown('kpiType') ? ' · ' : ''}
              {measure ? <FieldValue field="measure" value={objective.measure ?? null} change={measure} /> : objective.measure}
            </small>
          )}
        </td>
      )}
      {rangeColumn(shown) && <td className="kpi-cell">
        {shown('baseline') && (baseline ? <FieldValue field="baseline" value={objective.baseline ?? null} change={baseline} unit={unit} /> : formatMoney(objective.baseline, unit))}
        {shown('baseline') && shown('target') && ' → '}
        {shown('target') && (target ? <FieldValue field="target" value={objective.target ?? null} change={target} unit={unit} /> : formatMoney(objective.target, unit))}
        {shown('targetDate') && (objective.targetDate || targetDate) && (
          <small className="muted">
            {shown('baseline') || shown('target') ? ' by ' : ''}
            {targetDate ? <FieldValue field="targetDate" value={objective.targetDate ?? null} change={targetDate} /> : formatDay(objective.targetDate ?? '')}
          </small>
        )}
        {/* Nothing to show (a guest, whom the money is withheld from, and no target date): "—", as every empty value reads (QA q27c). */}
        {!shown('baseline') && !shown('target') && !objective.targetDate && !targetDate && '—'}
      </td>}
      {shown('owner') && (
        <td>
          <FieldValue field="owner" value={objective.owner ?? null} change={fieldChange(change, 'owner')} />
        </td>
      )}
      {shown('status') && objective.status !== undefined && (
        <td>
          {status ? (
            <FieldValue field="status" value={objective.status} change={status} />
          ) : (
            <span className={`pill pill-objective-${objective.status}`}>{LABELS.objectiveStatus[objective.status]}</span>
          )}
          {objective.pastTargetDate && <span className="pill pill-overdue">Past target date</span>}
        </td>
      )}
      <td>
        {objective.actions.length === 0 ? (
          <span className="pill pill-overdue">No action</span>
        ) : (
          <ul className="linked-actions">
            {objective.actions.map((id) => (
              <li key={id}>{titles.get(id) ?? 'An action you cannot see'}</li>
            ))}
          </ul>
        )}
        {actions && <small className="muted change-note">linked actions changed</small>}
      </td>
    </tr>
  )
}

/**
 * The notes an objective answered before a change, by name (QA q36b: the review said only that they
 * changed): the diff's value is their ids, joined by ", ".
 */
function notesBefore(before: FieldChange['before'], names: LinkNames, diffNames: PlanDiff['names']): string {
  const ids = typeof before === 'string' && before !== '' ? before.split(', ') : Array.isArray(before) ? before.filter((id): id is string => typeof id === 'string') : []
  if (ids.length === 0) return 'none'
  return ids.map((id) => (diffNames && Object.hasOwn(diffNames, id) ? diffNames[id] : names.notes([id])?.[0]) ?? 'a note no longer on the SWOT').join('; ')
}
