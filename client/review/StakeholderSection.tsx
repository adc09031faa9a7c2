import type { CSSProperties } from 'react'
import type { PlanRelationship, PlanStakeholder } from '../../shared/plan.ts'
import type { FieldChange, PlanDiff } from '../../shared/planDiff.ts'
import { LABELS, type Attitude } from '../../shared/shapes.ts'
import { ATTITUDE_COLORS } from '../board/shapes/StakeholderCardShapeUtil.tsx'
import { ChangeBadge, FieldValue, OtherChanges, RemovedList } from './Changes.tsx'
import { changeClass, fieldChange, sectionChanges, type ItemChange } from './planChanges.ts'
import { PlanTableSection } from './PlanTableSection.tsx'

/** Fields with a column of their own; changes to any other field are listed under the name. */
const COLUMNS = ['name', 'jobTitle', 'department', 'buyingRole', 'influence', 'attitude', 'owner'] as const

interface StakeholderSectionProps {
  stakeholders: readonly PlanStakeholder[]
  relationships: readonly PlanRelationship[] | undefined
  diff: Pick<PlanDiff, 'stakeholders' | 'relationships'> | null
}

/** The stakeholder table and the relationships between the people in it. */
export function StakeholderSection({ stakeholders, relationships, diff }: StakeholderSectionProps) {
  const changes = sectionChanges(diff?.stakeholders, (person) => person.id)
  return (
    <>
      <PlanTableSection
        id="stakeholders"
        title="Stakeholders"
        count={stakeholders.length}
        label="Stakeholders"
        columns={['Name', 'Job title', 'Department', 'Buying role', 'Influence', 'Attitude', 'Owner']}
        empty="No stakeholder cards on the map."
        removed={changes?.removed.map((person) => describePerson(person))}
      >
        {stakeholders.map((person) => (
          <StakeholderRow key={person.id} person={person} change={changes?.byId.get(person.id)} />
        ))}
      </PlanTableSection>
      {relationships && <RelationshipList relationships={relationships} stakeholders={stakeholders} diff={diff} />}
    </>
  )
}

function StakeholderRow({ person, change }: { person: PlanStakeholder; change: ItemChange | undefined }) {
  const cell = (field: (typeof COLUMNS)[number]) => <FieldValue field={field} value={person[field]} change={fieldChange(change, field)} />
  return (
    <tr className={`plan-row${changeClass(change)}`} data-id={person.id}>
      <td>
        <div className="person-cell">
          <strong>{person.name ? cell('name') : <span className="placeholder">Unnamed</span>}</strong>
          <ChangeBadge change={change} />
        </div>
        {person.notes && <div className="row-notes">{person.notes}</div>}
        <OtherChanges change={change} shown={COLUMNS} />
      </td>
      <td>{cell('jobTitle')}</td>
      <td>{cell('department')}</td>
      <td>{cell('buyingRole')}</td>
      <td>
        <Pill className={`pill-influence pill-influence-${person.influence}`} change={fieldChange(change, 'influence')} field="influence">
          {LABELS.influence[person.influence]}
        </Pill>
      </td>
      <td>
        <AttitudePill attitude={person.attitude} change={fieldChange(change, 'attitude')} />
      </td>
      <td>{cell('owner')}</td>
    </tr>
  )
}

function AttitudePill({ attitude, change }: { attitude: Attitude; change: FieldChange | undefined }) {
  const colors = ATTITUDE_COLORS[attitude]
  return (
    <Pill className="pill-attitude" style={{ color: colors.accent, background: colors.tint, borderColor: colors.accent }} change={change} field="attitude">
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

function describePerson(person: PlanStakeholder): string {
  const role = [person.jobTitle, person.department].filter(Boolean).join(', ')
  return role ? `${person.name || 'Unnamed'} (${role})` : person.name || 'Unnamed'
}

function RelationshipList({
  relationships,
  stakeholders,
  diff,
}: {
  relationships: readonly PlanRelationship[]
  stakeholders: readonly PlanStakeholder[]
  diff: Pick<PlanDiff, 'relationships'> | null
}) {
  const changes = sectionChanges(diff?.relationships, (line) => line.id)
  const names = new Map(stakeholders.map((person) => [person.id, person.name || 'Unnamed']))
  const nameOf = (id: string) => names.get(id) ?? 'someone no longer on the map'
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
          title="Removed since the previous snapshot"
          items={changes.removed.map((line) => `${nameOf(line.from)} ${LABELS.relationship[line.kind].toLowerCase()} ${nameOf(line.to)}`)}
        />
      )}
    </section>
  )
}
