import type { CSSProperties } from 'react'
import type { PlanRelationship, ViewStakeholder } from '../../shared/plan.ts'
import type { FieldChange, PlanDiff } from '../../shared/planDiff.ts'
import { LABELS, type Attitude } from '../../shared/shapes.ts'
import { shownField, type Withheld } from '../../shared/withheld.ts'
import { ATTITUDE_COLORS } from '../board/shapes/StakeholderCardShapeUtil.tsx'
import { ChangeBadge, FieldValue, OtherChanges, RemovedList } from './Changes.tsx'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'
import { PlanTableSection } from './PlanTableSection.tsx'

/** Fields with a column of their own; changes to any other field are listed under the name. */
const COLUMNS = ['name', 'jobTitle', 'department', 'buyingRole', 'influence', 'attitude', 'owner'] as const
const HEADERS = { name: 'Name', jobTitle: 'Job title', department: 'Department', buyingRole: 'Buying role', influence: 'Influence', attitude: 'Attitude', owner: 'Owner' } as const

interface StakeholderSectionProps {
  stakeholders: readonly ViewStakeholder[]
  relationships: readonly PlanRelationship[] | undefined
  diff: Pick<PlanDiff, 'stakeholders' | 'relationships' | 'names'> | null
  /** Fields withheld from this viewer ([A36]): no column, no value. */
  withheld: Withheld | undefined
}

/** The stakeholder table and the relationships between the people in it. */
export function StakeholderSection({ stakeholders, relationships, diff, withheld }: StakeholderSectionProps) {
  const changes = sectionChanges(diff?.stakeholders, (person) => person.id)
  const shown = shownField(withheld, 'stakeholder')
  // The first column holds the person whatever is withheld; the others only if shown.
  const columns = COLUMNS.filter((field) => field === 'name' || shown(field))
  return (
    <>
      <PlanTableSection
        id="stakeholders"
        title="Stakeholders"
        count={stakeholders.length}
        label="Stakeholders"
        columns={columns.map((field) => (field === 'name' && !shown('name') ? 'Stakeholder' : HEADERS[field]))}
        empty="No stakeholder cards on the map."
        removed={changes?.removed.map((person) => describePerson(person))}
      >
        {stakeholders.map((person) => (
          <StakeholderRow key={person.id} person={person} columns={columns} change={changes?.byId.get(person.id)} />
        ))}
      </PlanTableSection>
      {relationships && <RelationshipList relationships={relationships} stakeholders={stakeholders} diff={diff} />}
    </>
  )
}

function StakeholderRow({ person, columns, change }: { person: ViewStakeholder; columns: readonly (typeof COLUMNS)[number][]; change: ItemChange | undefined }) {
  const cell = (field: (typeof COLUMNS)[number]) => <FieldValue field={field} value={person[field] ?? null} change={fieldChange(change, field)} />
  const has = (field: (typeof COLUMNS)[number]) => columns.includes(field)
  return (
    <tr className={`plan-row${changeClass(change)}`} data-id={person.id}>
      <td>
        <div className="person-cell">
          <strong>{person.name ? cell('name') : <span className="placeholder">{nameOrNot(person)}</span>}</strong>
          <ChangeBadge change={change} />
        </div>
        {person.notes && <div className="row-notes">{person.notes}</div>}
        <OtherChanges change={change} shown={COLUMNS} />
      </td>
      {has('jobTitle') && <td>{cell('jobTitle')}</td>}
      {has('department') && <td>{cell('department')}</td>}
      {has('buyingRole') && <td>{cell('buyingRole')}</td>}
      {has('influence') && (
        <td>
          {person.influence ? (
            <Pill className={`pill-influence pill-influence-${person.influence}`} change={fieldChange(change, 'influence')} field="influence">
              {LABELS.influence[person.influence]}
            </Pill>
          ) : (
            cell('influence')
          )}
        </td>
      )}
      {has('attitude') && <td>{person.attitude ? <AttitudePill attitude={person.attitude} change={fieldChange(change, 'attitude')} /> : cell('attitude')}</td>}
      {has('owner') && <td>{cell('owner')}</td>}
    </tr>
  )
}

function AttitudePill({ attitude, change }: { attitude: Attitude; change: FieldChange | undefined }) {
  const colors = ATTITUDE_COLORS[attitude]
  return (
    <Pill className="pill-attitude" style={{ color: colors.text, background: colors.tint, borderColor: colors.accent }} change={change} field="attitude">
      {LABELS.attitude[attitude]}
    </Pill>
  )
}

function Pill({
  className,
  style,
  change,
  field,
  children,
}: {
  className: string
  style?: CSSProperties
  change: FieldChange | undefined
  field: string
  children: string
}) {
  if (change) {
    return (
      <span className="pill-change">
        <FieldValue field={field} value={children} change={change} />
      </span>
    )
  }
  return (
    <span className={`pill ${className}`} style={style}>
      {children}
    </span>
  )
}

function describePerson(person: ViewStakeholder): string {
  const role = [person.jobTitle, person.department].filter(Boolean).join(', ')
  return role ? `${person.name || nameOrNot(person)} (${role})` : person.name || nameOrNot(person)
}

/** What stands for a stakeholder without a name shown: withheld from this audience (absent), or none given. */
function nameOrNot(person: ViewStakeholder): string {
  return person.name === undefined ? 'Name not shared' : 'Unnamed'
}

function RelationshipList({
  relationships,
  stakeholders,
  diff,
}: {
  relationships: readonly PlanRelationship[]
  stakeholders: readonly ViewStakeholder[]
  diff: Pick<PlanDiff, 'relationships' | 'names'> | null
}) {
  const changes = sectionChanges(diff?.relationships, (line) => line.id)
  const names = new Map(stakeholders.map((person) => [person.id, person.name || nameOrNot(person)]))
  // A removed line's ends may be gone too: named as the older plan had them (QA q29b).
  const older = diff?.names
  const nameOf = (id: string) => names.get(id) ?? (older && Object.hasOwn(older, id) ? older[id] : undefined) ?? 'someone no longer on the map'
  return (
    <section className="plan-section" aria-labelledby="plan-relationships-heading">
      <h2 id="plan-relationships-heading" className="plan-section-heading">
        Relationships <span className="count">{relationships.length}</span>
      </h2>
      {relationships.length === 0 ? (
        <p className="empty-hint">No arrows between stakeholder cards.</p>
      ) : (
        <ul className="relationship-list">
          {relationships.map((line) => {
            const change = changes?.byId.get(line.id)
            return (
              <li key={line.id} className={`relationship${changeClass(change)}`}>
                <span className="relationship-person">{nameOf(line.from)}</span>
                <span className={`relationship-kind relationship-${line.kind}`}>
                  <FieldValue field="kind" value={line.kind} change={fieldChange(change, 'kind')} />
                </span>
                <span className="relationship-person">{nameOf(line.to)}</span>
                <ChangeBadge change={change} />
              </li>
            )
          })}
        </ul>
      )}
      {changes && changes.removed.length > 0 && (
        <RemovedList
          items={changes.removed.map((line) => `${nameOf(line.from)} ${LABELS.relationship[line.kind].toLowerCase()} ${nameOf(line.to)}`)}
        />
      )}
    </section>
  )
}
