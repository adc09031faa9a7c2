import { useEffect, useRef, useState } from 'react'
import { atom, useValue, type Atom, type Editor, type TLStore } from 'tldraw'
import { Field } from './fields.tsx'
import { TYPING_IDLE_MS, fieldHolder, ownClaim, peersTypingInto } from './fieldLocks.ts'
import { startEditStep } from './undoSteps.ts'

interface SharedTextFieldProps {
  editor: Editor
  shapeId: string
  /** The prop this field edits (`notes`): with the shape, what others see claimed. */
  field: string
  label: string
  value: string
  onChange(value: string): void
  /** Rows of a multi-line field; a one-line input without. */
  rows?: number
  /** Issue 13: the field is internal here (its label carries the lock). */
  internal?: boolean | undefined
}

/** Text a peer who started first wrote over, per `shapeId field`, kept for this page's session. */
type KeptTexts = ReadonlyMap<string, { text: string; by: string }>
const keptTextsByStore = new WeakMap<TLStore, Atom<KeptTexts>>()

function keptTexts(store: TLStore): Atom<KeptTexts> {
  let kept = keptTextsByStore.get(store)
  if (!kept) keptTextsByStore.set(store, (kept = atom<KeptTexts>('kept texts', new Map())))
  return kept
}

/** Whether this page keeps aside a text its person typed into `field` of `shapeId` (reactive). */
export function isFieldTextKept(store: TLStore, shapeId: string, field: string): boolean {
  return keptTexts(store).get().has(`${shapeId} ${field}`)
}

/**
 * A card's text field that one person types into at a time (client/board/fieldLocks.ts,
 * docs/decisions/006-concurrent-text.md). While a peer types into it, it is read-only, shows their
 * text as it comes, and says who is typing. While this person types, it shows what they typed and
 * nothing a peer writes over it. If a peer started typing first in the same moment, this person's
 * text stays on screen, with a button to put it in once the peer is done: nothing typed is lost
 * without the person seeing it.
 */
export function SharedTextField({ editor, shapeId, field, label, value, onChange, rows, internal }: SharedTextFieldProps) {
  const { store } = editor
  const claim = ownClaim(store)
  const peers = useValue('peers typing', () => peersTypingInto(store, shapeId, field), [store, shapeId, field])
  const mine = useValue('own claim', () => {
    const current = claim.get()
    return current && current.shapeId === shapeId && current.field === field ? current : null
  }, [claim, shapeId, field])
  const holder = fieldHolder(mine, editor.user.getId(), peers)
  const lockedBy = holder !== null && holder !== 'me' ? holder : null
  // What this person typed since they started (shown instead of the store's value while they type).
  const [draft, setDraft] = useState<string | null>(null)
  // Their text that a peer who started first wrote over, kept until used or dismissed (also while
  // another card is selected).
  const $kept = keptTexts(store)
  const keptKey = `${shapeId} ${field}`
  const kept = useValue('kept text', () => $kept.get().get(keptKey) ?? null, [$kept, keptKey])
  const setKept = (next: { text: string; by: string } | null) => {
    const all = new Map($kept.get())
    if (next) all.set(keptKey, next)
    else all.delete(keptKey)
    $kept.set(all)
  }
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)

  const release = () => {
    clearTimeout(idle.current)
    if (claim.get()?.shapeId === shapeId && claim.get()?.field === field) claim.set(null)
    setDraft(null)
  }
  // Another card or field: whatever this one claimed ends.
  useEffect(() => release, [shapeId, field])

  // A peer who started first holds the field: stop typing into it, keep what was typed.
  useEffect(() => {
    if (!lockedBy || !mine) return
    if (draft !== null) setKept({ text: draft, by: lockedBy.name })
    release()
  }, [lockedBy, mine])

  // This person holds the field and a peer's write (sent before they saw the claim) replaced the
  // text: put ours back, so what the field ends with is what its holder sees.
  useEffect(() => {
    if (holder === 'me' && draft !== null && value !== draft) onChange(draft)
  }, [holder, value])

  const type = (next: string) => {
    if (lockedBy) return
    if (!mine) claim.set({ shapeId, field, since: Date.now() })
    clearTimeout(idle.current)
    idle.current = setTimeout(release, TYPING_IDLE_MS)
    setDraft(next)
    onChange(next)
  }

  const shown = lockedBy ? value : (draft ?? value)
  const common = {
    value: shown,
    readOnly: lockedBy !== null,
    maxLength: 2000,
    onBlur: release,
    // tldraw takes keys typed outside an editable field as shortcuts ('z' picks the zoom tool): a
    // read-only field must not hand them on.
    onKeyDown: (event: { stopPropagation(): void }) => event.stopPropagation(),
    onChange: (event: { target: { value: string } }) => type(event.target.value),
  }
  return (
    <>
      <Field label={label} internal={internal}>
        {(id) =>
          rows ? (
            <textarea id={id} rows={rows} {...common} aria-describedby={lockedBy ? `${id}-typing` : undefined} />
          ) : (
            <input id={id} type="text" {...common} aria-describedby={lockedBy ? `${id}-typing` : undefined} />
          )
        }
      </Field>
      {lockedBy && (
        <p className="field-typing" role="status" style={{ borderColor: lockedBy.color }}>
          {lockedBy.name} is typing here…
        </p>
      )}
      {kept && (
        <div className="field-kept" role="alert">
          <p>
            {kept.by} started typing into {label} just before you, so your text was not kept there:
          </p>
          <blockquote>{kept.text}</blockquote>
          <button
            type="button"
            className="button"
            disabled={lockedBy !== null}
            onClick={() => {
              startEditStep(editor, shapeId, field)
              onChange(kept.text)
              setKept(null)
            }}
          >
            Use my text
          </button>{' '}
          <button type="button" className="button" onClick={() => setKept(null)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  )
}
