import { useMemo, useState } from 'react'
import { useValue, type Editor, type TLShapeId } from 'tldraw'
import { LABELS, RELATIONSHIP_KINDS, type RelationshipKind, type StakeholderCardShape } from '../../shared/shapes.ts'
import { addRelationship, newLineKind, relationshipsOf, type CardRelationship } from './cards.ts'
import { NOT_SHARED } from '../../shared/planLabels.ts'
import { InternalMark } from '../components/InternalMark.tsx'
import { useInternalFields, useShownFields } from './fieldSensitivity.ts'
import { SelectField } from './fields.tsx'
import { panelFocusRequest } from './panelFocus.ts'

/**
 * A card's name as the list and the picker say it, as its card says it: "Name not shared" where a
 * guest's page holds no name (review: every guest's line read "Unnamed stakeholder").
 */
const nameOf = (editor: Editor, id: TLShapeId, nameShown: boolean): string => {
  const card = editor.getShape<StakeholderCardShape>(id)
  if (card?.type !== 'stakeholder') return 'a card that is not a stakeholder'
  const name = card.props.name.trim()
  return name !== '' ? name : nameShown ? 'Unnamed stakeholder' : NOT_SHARED.stakeholder
}

/** One line in words, from this card's side: "Reports to Lee Chen", "Influenced by Ann Ito". */
function sentence(line: CardRelationship, other: string): string {
  switch (line.kind) {
    case 'reports_to':
      return line.outgoing ? `Reports to ${other}` : `${other} reports to them`
    case 'influences':
      return line.outgoing ? `Influences ${other}` : `Influenced by ${other}`
    case 'conflict':
      return `In conflict with ${other}`
    case 'ally':
      return `Ally of ${other}`
  }
}

/**
 * The side panel's relationships of a stakeholder card: its lines, each a button that selects the
 * line (its kind is then chosen, or Delete removes it), and a form that draws a new one. The way to
 * work with lines from the keyboard or a screen reader, where the arrow tool needs a pointer (QA
 * q29c). A guest's page lists and offers only customer-facing kinds ([A31]).
 */
export function StakeholderRelationships({ editor, shape }: { editor: Editor; shape: StakeholderCardShape }) {
  const shown = useShownFields('relationship')
  const internal = useInternalFields('relationship')
  const kinds = RELATIONSHIP_KINDS.filter(shown)
  const nameShown = useShownFields('stakeholder')('name')
  // As JSON: the panel renders again only when a line or a name changes, not on every drag.
  const linesJson = useValue('relationships of the card', () => JSON.stringify(relationshipsOf(editor, shape.id).map((line) => ({ ...line, other: nameOf(editor, line.otherId, nameShown) }))), [editor, shape.id, nameShown])
  const othersJson = useValue(
    'other stakeholders',
    () =>
      JSON.stringify(
        editor
          .getCurrentPageShapes()
          .filter((card) => card.type === 'stakeholder' && card.id !== shape.id)
          .map((card) => ({ id: card.id, name: nameOf(editor, card.id, nameShown) }))
          .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)),
      ),
    [editor, shape.id, nameShown],
  )
  const lines = useMemo(() => JSON.parse(linesJson) as (CardRelationship & { other: string })[], [linesJson]) // written just above
  const others = useMemo(() => JSON.parse(othersJson) as { id: TLShapeId; name: string }[], [othersJson]) // written just above
  const [kind, setKind] = useState<RelationshipKind | null>(null)
  const [to, setTo] = useState('')
  const chosenKind = kind !== null && kinds.includes(kind) ? kind : newLineKind(kinds)
  const target = others.find((other) => other.id === to)
  const add = () => {
    if (!target || chosenKind === null) return
    addRelationship(editor, shape.id, target.id, chosenKind)
    setTo('')
  }
  return (
    <fieldset className="field link-list relationships">
      <legend>Relationships</legend>
      {lines.length === 0 ? (
        <p className="muted small">No lines to or from this card yet.</p>
      ) : (
        <ul className="relationship-list">
          {lines.map((line) => (
            <li key={line.arrowId}>
              <button
                type="button"
                className="relationship-line"
                title="Select the line: choose its kind, or delete it"
                onClick={() => {
                  editor.select(line.arrowId)
                  // The panel shows the line next: its kind takes the focus.
                  panelFocusRequest(editor).set(line.arrowId)
                }}
              >
                {sentence(line, line.other)}
              </button>
              {internal(line.kind) && <InternalMark />}
            </li>
          ))}
        </ul>
      )}
      {kinds.length > 0 &&
        (others.length === 0 ? (
          <p className="muted small">Add another stakeholder to draw a line to.</p>
        ) : (
          <div className="relationship-add">
            <SelectField label="New line" internal={chosenKind !== null && internal(chosenKind)} value={chosenKind ?? ''} options={kinds.map((value) => [value, LABELS.relationship[value]] as const)} onChange={(value) => setKind(kinds.find((k) => k === value) ?? null)} />
            <SelectField label="With" value={target?.id ?? ''} options={[['', 'Choose a stakeholder'], ...others.map((other) => [other.id, other.name] as const)]} onChange={setTo} />
            <button type="button" className="button" aria-disabled={!target || undefined} onClick={add}>
              Add line
            </button>
          </div>
        ))}
    </fieldset>
  )
}
