import { useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react'
import { useValue, type Editor, type TLArrowShape, type TLShape } from 'tldraw'
import {
  ACTION_STATUSES,
  ATTITUDES,
  BUYING_ROLES,
  INFLUENCE_LEVELS,
  LABELS,
  RELATIONSHIP_KINDS,
  isOverdue,
  type ActionCardShape,
  type ActionStatus,
  type RelationshipKind,
  type StakeholderCardShape,
} from '../../shared/shapes.ts'
import type { Sensitivity } from '../../shared/sensitivity.ts'
import { workshopToday } from './localDate.ts'
import { FieldSensitivityContext, HideInternalFieldsContext, useInternalFields, useShownFields } from './fieldSensitivity.ts'
import { ActionObjectivesField, CompetitorFields, ObjectiveFields, WhitespaceFields, type LinkTargets } from './AccountCardFields.tsx'
import { newLineKind, relationshipKindOf, setActionStatus, setRelationshipKind } from './cards.ts'
import { KeysNotice } from '../components/KeysNotice.tsx'
import { DeletedWhileTypingNotice, useDeletedWhileTyping } from './DeletedWhileTyping.tsx'
import { DateInput, Field, SelectField } from './fields.tsx'
import { panelFocusRequest } from './panelFocus.ts'
import { SharedTextField } from './SharedTextField.tsx'
import { StakeholderRelationships } from './StakeholderRelationships.tsx'
import { startEditStep } from './undoSteps.ts'

/**
 * The structured fields of the selected card, or the kind of the selected relationship arrow,
 * edited with real form controls (never free text on the canvas). On a read-only board the
 * fields are shown disabled.
 */
export function InspectorPanel({
  editor,
  readOnly = false,
  links,
  fieldMarks = null,
  hiddenFields = null,
  shown = true,
}: {
  editor: Editor
  /** Whether the panel is on screen: a field is focused only once it is (QA q36c: a hidden panel took the request and the focus stayed on the toolbar). */
  shown?: boolean
  readOnly?: boolean
  links?: LinkTargets
  /** Issue 13: the sensitivity internal fields are marked by; null marks none (guests, "View as customer"). */
  fieldMarks?: Sensitivity | null
  /** Issue 13: on a guest's page and in "View as customer", the sensitivity whose internal fields are left out. */
  hiddenFields?: Sensitivity | null
}) {
  const shape = useValue('selected shape', () => editor.getOnlySelectedShape(), [editor])
  const selectionCount = useValue('selection count', () => editor.getSelectedShapeIds().length, [editor])
  const section = useRef<HTMLElement>(null)
  const [deleted, closeDeleted] = useDeletedWhileTyping(editor, shape, section)
  const fields = useRef<HTMLFieldSetElement>(null)
  // The board turned read-only (the workshop archived) while this person typed in a field: the
  // disabled field drops the focus, and the keys typed next would reach the canvas as shortcuts.
  // A notice says why and keeps them (QA pass of 2026-12-06). Focus events keep `typing` current,
  // so at the render that disables the fields it still tells whether one held the focus.
  const typing = useRef(false)
  const wasReadOnly = useRef(readOnly)
  const [lockedWhileTyping, setLockedWhileTyping] = useState(false)
  if (readOnly !== wasReadOnly.current) {
    wasReadOnly.current = readOnly
    if (readOnly && typing.current && !lockedWhileTyping) setLockedWhileTyping(true)
    if (!readOnly && lockedWhileTyping) setLockedWhileTyping(false)
  }
  const focusRequest = useValue('panel focus request', () => panelFocusRequest(editor).get(), [editor])
  // A card added from the keyboard, or Enter on a selected one: its first field takes the focus once the panel shows it.
  useLayoutEffect(() => {
    if (focusRequest === null || focusRequest !== shape?.id || !shown) return
    panelFocusRequest(editor).set(null)
    fields.current?.querySelector<HTMLElement>('input:not(:disabled), textarea:not(:disabled), select:not(:disabled)')?.focus()
  }, [focusRequest, shape?.id, shown])
  // Esc in a field leaves it for the canvas with the card still selected; a second Esc is
  // tldraw's, which deselects. (A field with its own use for Esc stops it first.)
  const leaveField = (event: KeyboardEvent) => {
    if (event.key !== 'Escape' || event.defaultPrevented || !(event.target instanceof HTMLElement) || !event.target.matches('input, textarea, select')) return
    event.preventDefault()
    event.stopPropagation()
    focusCanvas(editor)
  }

  return (
    <FieldSensitivityContext.Provider value={hiddenFields ?? fieldMarks}>
      <HideInternalFieldsContext.Provider value={hiddenFields !== null}>
      <section ref={section} className="panel-section inspector" aria-labelledby="inspector-heading">
        <h2 id="inspector-heading" className="panel-heading">
          {heading(shape)}
        </h2>
        {/* A disabled fieldset disables every control inside it. */}
        {lockedWhileTyping && (
          <KeysNotice
            className="field-withdrawn"
            role="status"
            text="This board is read-only now (the workshop was archived), so the field can no longer be changed."
            onDismiss={() => {
              setLockedWhileTyping(false)
              focusCanvas(editor)
            }}
          />
        )}
        <fieldset
          ref={fields}
          className="inspector-fields"
          disabled={readOnly}
          onKeyDown={leaveField}
          onFocus={() => (typing.current = true)}
          onBlur={() => (typing.current = false)}
        >
          {shape?.type === 'stakeholder' && <StakeholderFields editor={editor} shape={shape} />}
          {shape?.type === 'action' && <ActionFields editor={editor} shape={shape} links={links} />}
          {shape?.type === 'objective' && <ObjectiveFields editor={editor} shape={shape} links={links} />}
          {shape?.type === 'whitespace' && <WhitespaceFields editor={editor} shape={shape} />}
          {shape?.type === 'competitor' && <CompetitorFields editor={editor} shape={shape} />}
          {shape?.type === 'arrow' && <RelationshipFields editor={editor} shape={shape} />}
        </fieldset>
        {deleted && (
          <DeletedWhileTypingNotice
            deleted={deleted}
            hidesInternal={hiddenFields !== null}
            onClose={() => {
              closeDeleted()
              focusCanvas(editor)
            }}
          />
        )}
        {!isInspectable(shape) && (
          <p className="muted">
            {selectionCount > 1
              ? 'Select a single card to edit its details.'
              : 'Select a card or a relationship to edit its details here.'}
          </p>
        )}
      </section>
      </HideInternalFieldsContext.Provider>
    </FieldSensitivityContext.Provider>
  )
}

/** Gives the keys back to the canvas (tldraw's `focus` alone does nothing while it counts itself focused). */
function focusCanvas(editor: Editor): void {
  editor.getContainer().focus()
  editor.focus()
}

const INSPECTABLE = new Set(['stakeholder', 'action', 'arrow', 'objective', 'whitespace', 'competitor'])

function isInspectable(shape: TLShape | null): boolean {
  return shape !== null && INSPECTABLE.has(shape.type)
}

function heading(shape: TLShape | null): string {
  if (shape?.type === 'stakeholder') return 'Stakeholder'
  if (shape?.type === 'action') return 'Action'
  if (shape?.type === 'arrow') return 'Relationship'
  if (shape?.type === 'objective') return 'Objective'
  if (shape?.type === 'whitespace') return 'Whitespace cell'
  if (shape?.type === 'competitor') return 'Competitor'
  return 'Details'
}

function StakeholderFields({ editor, shape }: { editor: Editor; shape: StakeholderCardShape }) {
  // Text fields pass `typing`: a burst of typing is one undo step, a choice from a list always one.
  const set = (props: Partial<StakeholderCardShape['props']>, typing = false) => {
    startEditStep(editor, shape.id, Object.keys(props).join(), typing)
    editor.updateShape<StakeholderCardShape>({ id: shape.id, type: 'stakeholder', props })
  }
  const { props } = shape
  const internal = useInternalFields('stakeholder')
  return (
    <div className="form">
      <SharedTextField editor={editor} shapeId={shape.id} field="name" label="Name" internal={internal('name')} value={props.name} onChange={(name) => set({ name }, true)} />
      <SharedTextField editor={editor} shapeId={shape.id} field="jobTitle" label="Job title" internal={internal('jobTitle')} value={props.jobTitle} onChange={(jobTitle) => set({ jobTitle }, true)} />
      <SharedTextField editor={editor} shapeId={shape.id} field="department" label="Department" internal={internal('department')} value={props.department} onChange={(department) => set({ department }, true)} />
      {/* Issue 13: internal by default (shared/sensitivity.ts); a guest's page leaves out the ones
          internal now (Field), and may edit those the facilitator made customer-visible. */}
      <fieldset className="inspector-fields">
        <SelectField
          label="Buying role"
          internal={internal('buyingRole')}
          value={props.buyingRole ?? ''}
          options={[['', 'Not assessed'], ...BUYING_ROLES.map((role) => [role, LABELS.buyingRole[role]] as const)]}
          onChange={(value) => set({ buyingRole: BUYING_ROLES.find((role) => role === value) ?? null })}
        />
        <SelectField
          label="Influence"
          internal={internal('influence')}
          value={props.influence ?? ''}
          options={[['', 'Not assessed'], ...INFLUENCE_LEVELS.map((level) => [level, LABELS.influence[level]] as const)]}
          onChange={(value) => set({ influence: INFLUENCE_LEVELS.find((level) => level === value) ?? null })}
        />
        <SelectField
          label="Attitude to us"
          internal={internal('attitude')}
          value={props.attitude ?? ''}
          options={[['', 'Not assessed'], ...ATTITUDES.map((attitude) => [attitude, LABELS.attitude[attitude]] as const)]}
          onChange={(value) => set({ attitude: ATTITUDES.find((attitude) => attitude === value) ?? null })}
        />
        <SharedTextField editor={editor} shapeId={shape.id} field="owner" label="Relationship owner" internal={internal('owner')} value={props.owner} onChange={(owner) => set({ owner }, true)} />
        <SharedTextField editor={editor} shapeId={shape.id} field="notes" label="Notes" rows={4} internal={internal('notes')} value={props.notes} onChange={(notes) => set({ notes }, true)} />
      </fieldset>
      <StakeholderRelationships editor={editor} shape={shape} />
    </div>
  )
}

function ActionFields({ editor, shape, links }: { editor: Editor; shape: ActionCardShape; links: LinkTargets | undefined }) {
  // Text fields pass `typing`: a burst of typing is one undo step, a choice from a list always one.
  const set = (props: Partial<ActionCardShape['props']>, typing = false) => {
    startEditStep(editor, shape.id, Object.keys(props).join(), typing)
    editor.updateShape<ActionCardShape>({ id: shape.id, type: 'action', props })
  }
  const { props } = shape
  const overdue = useValue('overdue', () => isOverdue(props, workshopToday()), [props])
  const internal = useInternalFields('action')
  return (
    <div className="form">
      <SharedTextField editor={editor} shapeId={shape.id} field="title" label="Title" internal={internal('title')} value={props.title} onChange={(title) => set({ title }, true)} />
      <SharedTextField editor={editor} shapeId={shape.id} field="owner" label="Owner" internal={internal('owner')} value={props.owner} onChange={(owner) => set({ owner }, true)} />
      <Field label="Due date" internal={internal('due')}>
        {(id) => (
          <DateInput id={id} subject={shape.id} value={props.due} invalid={overdue} onChange={(due) => set({ due }, true)} />
        )}
      </Field>
      {overdue && <p className="field-warning">This action is overdue.</p>}
      <SelectField
        label="Status"
        internal={internal('status')}
        value={props.status}
        options={ACTION_STATUSES.map((status) => [status, LABELS.status[status]] as const)}
        onChange={(value) => {
          const status = ACTION_STATUSES.find((candidate): candidate is ActionStatus => candidate === value)
          if (!status) return
          startEditStep(editor, shape.id, 'status')
          setActionStatus(editor, shape.id, status)
        }}
      />
      <ActionObjectivesField editor={editor} shape={shape} links={links} />
    </div>
  )
}

function RelationshipFields({ editor, shape }: { editor: Editor; shape: TLArrowShape }) {
  const kind = relationshipKindOf(shape)
  // A line of an internal kind is an internal item (shared/sensitivity.ts): guests never receive it.
  const internal = useInternalFields('relationship')
  // A guest's page offers only customer-facing kinds: a line of an internal kind belongs in the
  // internal document, which a guest cannot write ([A31]). The line's own kind stays listed.
  const shown = useShownFields('relationship')
  const kinds = RELATIONSHIP_KINDS.filter((value) => value === kind || shown(value))
  const startsAs = newLineKind(RELATIONSHIP_KINDS.filter(shown))
  return (
    <div className="form">
      <SelectField
        label="Relationship kind"
        internal={internal(kind ?? 'influences')}
        value={kind ?? ''}
        // New arrows start with a kind; one drawn before that (or by another tool) shows what the plan reads.
        options={[
          ...(kind === null ? ([['', 'Not set (read as Influences)']] as const) : []),
          ...kinds.map((value) => [value, LABELS.relationship[value]] as const),
        ]}
        onChange={(value) => {
          const next = kinds.find((candidate): candidate is RelationshipKind => candidate === value)
          if (next === undefined && value !== '') return
          startEditStep(editor, shape.id, 'relationship')
          setRelationshipKind(editor, shape.id, next ?? null)
        }}
      />
      <p className="muted small">
        Draw arrows between two stakeholder cards, or add a line from a card's side panel; each starts as {startsAs ? LABELS.relationship[startsAs] : 'Influences'}, choose what the line means.
      </p>
      {/* Delete works on the canvas; from the panel's fields it needs a button (review: the focus is on the kind). */}
      <button
        type="button"
        className="button button-small"
        onClick={() => {
          editor.markHistoryStoppingPoint('delete relationship')
          editor.deleteShapes([shape.id])
          focusCanvas(editor)
        }}
      >
        Delete line
      </button>
    </div>
  )
}
