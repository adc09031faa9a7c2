import { useId, useRef, useState } from 'react'
import { useValue, type Editor } from 'tldraw'
import type { LiveHealth } from '../../shared/snapshotApi.ts'
import {
  COMPETITOR_POSITIONS,
  KPI_TYPES,
  LABELS,
  MAX_EXACT_AMOUNT,
  OBJECTIVE_STATUSES,
  WHITESPACE_KINDS,
  type ActionCardShape,
  type CompetitorCardShape,
  type ObjectiveCardShape,
  type WhitespaceCardShape,
  isPastTargetDate,
  kindChange,
  kindHasField,
} from '../../shared/shapes.ts'
import { useInternalFields, useShownFields } from './fieldSensitivity.ts'
import { DateInput, Field, SelectField } from './fields.tsx'
import { SharedTextField } from './SharedTextField.tsx'
import { startEditStep } from './undoSteps.ts'
import { workshopToday } from './localDate.ts'
import { readAmount, showAmount } from './readAmount.ts'
import { useBoardCurrency } from './BoardCurrency.tsx'
import { placeCellByNames } from './cards.ts'

/**
 * Side-panel forms of the issue-15 cards: objective, whitespace cell, competitor, and the action
 * card's "Serves objectives" picker. Links point at cards on other boards (other documents), so
 * the choices come from the live plan ({@link LinkTargets}).
 */

/**
 * What a card on this board may link to on other boards: objectives, and SWOT weaknesses and
 * threats; a list left out is not offered (a guest's page, where that board is not shared).
 */
export type LinkTargets = Partial<Pick<LiveHealth, 'objectives' | 'risks'>>

/**
 * An amount field; empty means null. It reads what is typed or pasted in the person's own notation
 * (readAmount.ts: "1.250.000,50", "1 250 000,50", "(1,250)"), and shows a stored amount in it.
 * Text that is not a number from `min` to `max` is not taken: it stays in the field with a message
 * saying what is allowed, also when the field is left, until it is corrected or Esc in the field
 * shows the stored value again.
 *
 * Each keystroke that makes a number in range is stored, so peers see it as it is typed. Text
 * refused after some were taken ("150" typed over 40 stores 1 and 15 on the way) puts back the
 * value the field had when this person started typing: "not saved" leaves the card as it was.
 */
function NumberField({
  label,
  value,
  min = -MAX_EXACT_AMOUNT,
  max = MAX_EXACT_AMOUNT,
  internal,
  onChange,
}: {
  label: string
  value: number | null
  min?: number
  max?: number
  internal?: boolean | undefined
  onChange(value: number | null): void
}) {
  const locale = navigator.language
  // What this person typed, and the stored value it stands for (or was typed over, when it is
  // refused or not a number yet): shown while the card still holds that value. A new value (a
  // peer's, or another card's in the same panel) replaces it.
  const [typed, setTyped] = useState<{ text: string; over: number | null; refused: 'range' | 'unread' | null } | null>(null)
  // While the field has the focus: the value this run of typing started from (put back if what it
  // comes to is refused), the last value this field stored (another value meanwhile is a peer's,
  // which then is the one to put back), and the text it last read. Typing that does not continue
  // that text, or comes after the whole text was selected (select all, then type), starts a new run
  // from the value stored then.
  const typing = useRef<{ from: number | null; wrote: number | null; text: string; selectedAll?: boolean } | null>(null)
  // Read as a key is pressed or text pasted, before the change: was the whole text selected?
  const noteSelection = (input: HTMLInputElement) => {
    if (typing.current) typing.current.selectedAll = input.value.length > 0 && input.selectionStart === 0 && input.selectionEnd === input.value.length
  }
  const messageId = useId()
  const shown = typed && typed.over === value ? typed : null
  const refuse = (text: string, run: { from: number | null; wrote: number | null }, why: 'range' | 'unread') => {
    if (value !== run.from) {
      run.wrote = run.from
      onChange(run.from)
    }
    setTyped({ text, over: run.from, refused: why })
  }
  return (
    <Field label={label} internal={internal}>
      {(id) => (
        <>
          <input
            id={id}
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={shown ? shown.text : value === null ? '' : showAmount(value, locale)}
            aria-invalid={shown?.refused ? true : undefined}
            aria-describedby={shown?.refused ? messageId : undefined}
            onPaste={(event) => noteSelection(event.currentTarget)}
            onKeyDown={(event) => {
              noteSelection(event.currentTarget)
              if (event.key !== 'Escape' || !shown || (!shown.refused && readAmount(shown.text, locale).kind !== 'partial')) return
              // Esc gives up the refused or half-typed text; it is not tldraw's Esc (which would deselect the card).
              event.preventDefault()
              event.stopPropagation()
              setTyped(null)
            }}
            onFocus={(event) => {
              typing.current = { from: value, wrote: value, text: event.target.value }
            }}
            onBlur={(event) => {
              const run = typing.current
              typing.current = null
              if (!shown || shown.refused) return
              // Left half typed ("1 250 0", "(1,250"): not taken, and said so; a lone sign is given up.
              // Taken: shown as every stored amount is.
              if (run && readAmount(event.target.value, locale).kind === 'partial' && /\d/u.test(event.target.value)) refuse(event.target.value, run, 'unread')
              else setTyped(null)
            }}
            onChange={(event) => {
              const input = event.target
              const run = typing.current ?? { from: value, wrote: value, text: input.value }
              const continues = !run.selectedAll && (input.value.startsWith(run.text) || run.text.startsWith(input.value))
              run.selectedAll = false
              // A peer's value since this field last stored, or a new run of typing: it starts from the value now.
              if (value !== run.wrote || !continues) run.from = value
              run.text = input.value
              typing.current = run
              const read = readAmount(input.value, locale)
              if (read.kind === 'partial') return setTyped({ text: input.value, over: value, refused: null })
              if (read.kind === 'invalid') return refuse(input.value, run, 'unread')
              const next = read.kind === 'empty' ? null : read.value
              if (next !== null && (next < min || next > max)) return refuse(input.value, run, 'range')
              setTyped({ text: input.value, over: next, refused: null })
              run.wrote = next
              onChange(next)
            }}
          />
          {shown?.refused && (
            <p id={messageId} className="field-error" role="alert">
              {shown.refused === 'range'
                ? `${label} must be a number from ${showAmount(min, locale)} to ${showAmount(max, locale)}; not saved.`
                : `${label} takes a number only, written like ${showAmount(1_250_000.5, locale)}; not saved.`}
            </p>
          )}
        </>
      )}
    </Field>
  )
}

/** Checkboxes of link targets; ids no longer on their board are kept until unticked. */
function LinkList({ legend, options, chosen, onChange }: { legend: string; options: readonly { id: string; label: string }[]; chosen: readonly string[]; onChange(ids: string[]): void }) {
  return (
    <fieldset className="field link-list">
      <legend>{legend}</legend>
      {options.length === 0 && <p className="muted small">None on the board yet.</p>}
      {options.map((option) => (
        <label key={option.id} className="checkbox">
          <input
            type="checkbox"
            checked={chosen.includes(option.id)}
            onChange={(event) => onChange(event.target.checked ? [...chosen, option.id] : chosen.filter((id) => id !== option.id))}
          />
          <span>{option.label || '(untitled)'}</span>
        </label>
      ))}
    </fieldset>
  )
}

export function ObjectiveFields({ editor, shape, links }: { editor: Editor; shape: ObjectiveCardShape; links: LinkTargets | undefined }) {
  // Text and number fields pass `typing`: a burst of typing is one undo step, a choice always one.
  const set = (props: Partial<ObjectiveCardShape['props']>, typing = false) => {
    startEditStep(editor, shape.id, Object.keys(props).join(), typing)
    editor.updateShape<ObjectiveCardShape>({ id: shape.id, type: 'objective', props })
  }
  const { props } = shape
  const internal = useInternalFields('objective')
  // A guest holds a withheld date or status at its default: no warning read off those.
  const shown = useShownFields('objective')
  const late = useValue('past target date', () => isPastTargetDate(props, workshopToday()), [props]) && shown('targetDate') && shown('status')
  return (
    <div className="form">
      <SharedTextField editor={editor} shapeId={shape.id} field="objective" label="Objective" internal={internal('objective')} value={props.objective} onChange={(objective) => set({ objective }, true)} />
      <SelectField
        label="KPI"
        internal={internal('kpiType')}
        value={props.kpiType}
        options={KPI_TYPES.map((kpi) => [kpi, LABELS.kpiType[kpi]] as const)}
        onChange={(value) => set({ kpiType: KPI_TYPES.find((kpi) => kpi === value) ?? props.kpiType })}
      />
      <SharedTextField editor={editor} shapeId={shape.id} field="measure" label="Measure" internal={internal('measure')} value={props.measure} onChange={(measure) => set({ measure }, true)} />
      <SharedTextField editor={editor} shapeId={shape.id} field="unit" label="Unit" internal={internal('unit')} value={props.unit} onChange={(unit) => set({ unit }, true)} />
      <NumberField label="Baseline" internal={internal('baseline')} value={props.baseline} onChange={(baseline) => set({ baseline }, true)} />
      <NumberField label="Target" internal={internal('target')} value={props.target} onChange={(target) => set({ target }, true)} />
      <Field label="Target date" internal={internal('targetDate')}>{(id) => <DateInput id={id} subject={shape.id} value={props.targetDate} invalid={late} onChange={(targetDate) => set({ targetDate }, true)} />}</Field>
      {late && <p className="field-warning">The target date has passed and the objective is not achieved.</p>}
      <SharedTextField editor={editor} shapeId={shape.id} field="owner" label="Owner" internal={internal('owner')} value={props.owner} onChange={(owner) => set({ owner }, true)} />
      <SelectField
        label="Status"
        internal={internal('status')}
        value={props.status}
        options={OBJECTIVE_STATUSES.map((status) => [status, LABELS.objectiveStatus[status]] as const)}
        onChange={(value) => set({ status: OBJECTIVE_STATUSES.find((status) => status === value) ?? props.status })}
      />
      <SharedTextField editor={editor} shapeId={shape.id} field="strategy" label="Strategy" rows={3} internal={internal('strategy')} value={props.strategy} onChange={(strategy) => set({ strategy }, true)} />
      {links?.risks && (
        <LinkList
          legend="Answers (SWOT weaknesses and threats)"
          options={links.risks.map((risk) => ({ id: risk.id, label: `${risk.quadrant === 'threats' ? 'Threat' : 'Weakness'}: ${risk.text.split('\n')[0] ?? ''}` }))}
          chosen={props.addresses}
          onChange={(addresses) => set({ addresses })}
        />
      )}
    </div>
  )
}

/** The action card's link to the objectives it serves ([P11]). */
export function ActionObjectivesField({ editor, shape, links }: { editor: Editor; shape: ActionCardShape; links: LinkTargets | undefined }) {
  if (!links?.objectives) return null
  return (
    <LinkList
      legend="Serves objectives"
      options={links.objectives.map((objective) => ({ id: objective.id, label: objective.title }))}
      chosen={shape.props.objectives}
      onChange={(objectives) => {
        startEditStep(editor, shape.id, 'objectives')
        editor.updateShape<ActionCardShape>({ id: shape.id, type: 'action', props: { objectives } })
      }}
    />
  )
}

export function WhitespaceFields({ editor, shape }: { editor: Editor; shape: WhitespaceCardShape }) {
  // Text and number fields pass `typing`: a burst of typing is one undo step, a choice always one.
  const set = (props: Partial<WhitespaceCardShape['props']>, typing = false) => {
    startEditStep(editor, shape.id, Object.keys(props).join(), typing)
    editor.updateShape<WhitespaceCardShape>({ id: shape.id, type: 'whitespace', props })
  }
  const { props } = shape
  const internal = useInternalFields('whitespace')
  const currency = useBoardCurrency(editor)
  const valueLabel = props.kind === 'opportunity' ? 'Estimated value' : props.kind === 'we_supply' ? 'Our revenue' : 'Their revenue, estimated'
  return (
    <div className="form">
      <SelectField
        label="Kind"
        internal={internal('kind')}
        value={props.kind}
        options={WHITESPACE_KINDS.map((kind) => [kind, LABELS.whitespaceKind[kind]] as const)}
        onChange={(value) => set(kindChange(props, WHITESPACE_KINDS.find((kind) => kind === value) ?? props.kind))}
      />
      {kindHasField(props.kind, 'competitor') && <SharedTextField editor={editor} shapeId={shape.id} field="competitor" label="Competitor" internal={internal('competitor')} value={props.competitor} onChange={(competitor) => set({ competitor }, true)} />}
      {kindHasField(props.kind, 'value') && (
        <NumberField
          label={currency ? `${valueLabel} (${currency})` : valueLabel}
          internal={internal('value')}
          value={props.value}
          min={0}
          onChange={(value) => set({ value }, true)}
        />
      )}
      {kindHasField(props.kind, 'probability') && <NumberField label="Probability (%)" internal={internal('probability')} value={props.probability} min={0} max={100} onChange={(probability) => set({ probability }, true)} />}
      {/* Once the person leaves these fields, the cell goes to the row and column they name (QA q36b). */}
      <div
        className="form"
        onBlur={(event) => {
          if (event.relatedTarget instanceof Node && event.currentTarget.contains(event.relatedTarget)) return
          placeCellByNames(editor, shape.id)
        }}
      >
        <SharedTextField editor={editor} shapeId={shape.id} field="row" label="Business unit (empty: the row it sits in)" internal={internal('row')} value={props.row} onChange={(row) => set({ row }, true)} />
        <SharedTextField editor={editor} shapeId={shape.id} field="column" label="Offering (empty: the column it sits in)" internal={internal('column')} value={props.column} onChange={(column) => set({ column }, true)} />
      </div>
      <SharedTextField editor={editor} shapeId={shape.id} field="notes" label="Notes" rows={3} internal={internal('notes')} value={props.notes} onChange={(notes) => set({ notes }, true)} />
    </div>
  )
}

export function CompetitorFields({ editor, shape }: { editor: Editor; shape: CompetitorCardShape }) {
  // Text and number fields pass `typing`: a burst of typing is one undo step, a choice always one.
  const set = (props: Partial<CompetitorCardShape['props']>, typing = false) => {
    startEditStep(editor, shape.id, Object.keys(props).join(), typing)
    editor.updateShape<CompetitorCardShape>({ id: shape.id, type: 'competitor', props })
  }
  const { props } = shape
  const internal = useInternalFields('competitor')
  return (
    <div className="form">
      <SharedTextField editor={editor} shapeId={shape.id} field="name" label="Name" internal={internal('name')} value={props.name} onChange={(name) => set({ name }, true)} />
      <SelectField
        label="Position in the account"
        internal={internal('position')}
        value={props.position}
        options={COMPETITOR_POSITIONS.map((position) => [position, LABELS.competitorPosition[position]] as const)}
        onChange={(value) => set({ position: COMPETITOR_POSITIONS.find((position) => position === value) ?? props.position })}
      />
      <SharedTextField editor={editor} shapeId={shape.id} field="strengths" label="Strengths against us" rows={3} internal={internal('strengths')} value={props.strengths} onChange={(strengths) => set({ strengths }, true)} />
      <SharedTextField editor={editor} shapeId={shape.id} field="weaknesses" label="Weaknesses against us" rows={3} internal={internal('weaknesses')} value={props.weaknesses} onChange={(weaknesses) => set({ weaknesses }, true)} />
      <SharedTextField editor={editor} shapeId={shape.id} field="relationship" label="Relationship they hold" rows={3} internal={internal('relationship')} value={props.relationship} onChange={(relationship) => set({ relationship }, true)} />
    </div>
  )
}
