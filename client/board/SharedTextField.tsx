import { useContext, useEffect, useId, useLayoutEffect, useRef, useState } from 'react'
import { atom, useValue, type Atom, type Editor, type TLStore } from 'tldraw'
import { HideInternalFieldsContext } from './fieldSensitivity.ts'
import { Field } from './fields.tsx'
import { TYPING_IDLE_MS, fieldHolder, ownClaim, peersTypingInto } from './fieldLocks.ts'
import { mergeKeptText } from './mergeKeptText.ts'
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

/**
 * Text a peer who started first wrote over, per `shapeId field`, kept for this page's session:
 * `base` is the field's text when this person started typing, so that putting it in later keeps
 * what the peer wrote meanwhile (mergeKeptText.ts).
 */
interface KeptText {
  text: string
  base: string
  by: string
}
/** The peers whose typing into a field this page's person kept (they were told their text is kept aside). */
interface Contest {
  by: string
}
type PerField<T> = ReadonlyMap<string, T>
/**
 * How long after this person's last key a different value in the field they hold may still be a
 * peer's write racing theirs (sent before the peer's page heard of their claim, which presence
 * carries within a round trip or two); later, it was written on purpose.
 */
const RACE_WINDOW_MS = 3_000

const keptTextsByStore = new WeakMap<TLStore, Atom<PerField<KeptText>>>()
const contestsByStore = new WeakMap<TLStore, Atom<PerField<Contest>>>()

function perField<T>(all: WeakMap<TLStore, Atom<PerField<T>>>, store: TLStore, name: string): Atom<PerField<T>> {
  let atomOf = all.get(store)
  if (!atomOf) all.set(store, (atomOf = atom<PerField<T>>(name, new Map())))
  return atomOf
}

/** Whether this page keeps aside a text its person typed into `field` of `shapeId` (reactive). */
export function isFieldTextKept(store: TLStore, shapeId: string, field: string): boolean {
  return perField(keptTextsByStore, store, 'kept texts').get().has(`${shapeId} ${field}`)
}

/** What this person has typed since they claimed the field, and the field's text when they started. */
interface Draft {
  text: string
  base: string
}

/**
 * A card's text field that one person types into at a time (client/board/fieldLocks.ts,
 * docs/decisions/006-concurrent-text.md). While a peer types into it, it is read-only, shows their
 * text as it comes, and says who is typing. While this person types, it shows what they typed and
 * nothing a peer writes over it. If a peer started typing first in the same moment, this person's
 * text moves, with the caret, to a box under the field where they can keep typing, with a button to
 * add it to the peer's text once the peer is done; the peer's page says that their text was kept
 * aside. Nothing typed is lost, and nobody's text is replaced without them seeing it.
 */
export function SharedTextField({ editor, shapeId, field, label, value, onChange, rows, internal }: SharedTextFieldProps) {
  const { store } = editor
  const claim = ownClaim(store)
  const peers = useValue('peers typing', () => peersTypingInto(store, shapeId, field, editor.user.getId()), [store, shapeId, field, editor])
  const mine = useValue('own claim', () => {
    const current = claim.get()
    return current && current.shapeId === shapeId && current.field === field ? current : null
  }, [claim, shapeId, field])
  const holder = fieldHolder(mine, editor.user.getId(), peers)
  // Where the field is not shown ("View as customer" of an internal field), nobody is said to type in it.
  const hideInternal = useContext(HideInternalFieldsContext)
  const fieldShown = !(internal && hideInternal)
  const lockedBy = holder !== null && holder !== 'me' && fieldShown ? holder : null
  // What this person typed since they started (shown instead of the store's value while they type).
  const [draft, setDraft] = useState<Draft | null>(null)
  const fieldKey = `${shapeId} ${field}`
  // Their text that a peer who started first wrote over, kept until used or dismissed (also while
  // another card is selected).
  const $kept = perField(keptTextsByStore, store, 'kept texts')
  const kept = useValue('kept text', () => $kept.get().get(fieldKey) ?? null, [$kept, fieldKey])
  const setKept = (next: KeptText | null) => $kept.set(withEntry($kept.get(), fieldKey, next))
  // A peer who typed at the same moment as this person, whose text their page kept aside.
  const $contests = perField(contestsByStore, store, 'contested fields')
  const contest = useValue('contest', () => $contests.get().get(fieldKey) ?? null, [$contests, fieldKey])
  const setContest = (next: Contest | null) => $contests.set(withEntry($contests.get(), fieldKey, next))

  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const fieldElement = useRef<HTMLInputElement | HTMLTextAreaElement | null>(null)
  const keptElement = useRef<HTMLTextAreaElement | null>(null)
  // Where the caret was in the field after this person's last keystroke, and whether it goes on in
  // the kept box (set when the field is taken from them while they type).
  const caret = useRef<{ start: number; end: number } | null>(null)
  const moveCaret = useRef(false)
  // The texts this page wrote into the field since it claimed it, and the peers seen claiming it
  // meanwhile: any other value arriving while it holds the field is a peer's write.
  const written = useRef(new Set<string>())
  const contenders = useRef(new Set<string>())
  /** When this person last typed into the field (ms). */
  const typedAt = useRef(0)

  const release = () => {
    clearTimeout(idle.current)
    if (claim.get()?.shapeId === shapeId && claim.get()?.field === field) claim.set(null)
    setDraft(null)
    written.current.clear()
    contenders.current.clear()
  }
  // Another card or field: whatever this one claimed ends.
  useEffect(() => release, [shapeId, field])

  // The field goes to a peer who started first while this person has typed into it: their text
  // goes aside (kept.text grows with what they type there), and the caret with it.
  const keepAside = (text: string, base: string, by: string) => {
    setKept({ text, base, by })
    moveCaret.current = document.activeElement === fieldElement.current
    release()
  }
  // Layout effects: in the same task as the field turns read-only, so no keystroke falls between.
  useLayoutEffect(() => {
    if (!lockedBy || !mine) return
    if (draft !== null) keepAside(draft.text, draft.base, lockedBy.name)
    else release()
  }, [lockedBy, mine])
  useLayoutEffect(() => {
    if (!moveCaret.current || !kept || !keptElement.current) return
    moveCaret.current = false
    keptElement.current.focus()
    const at = caret.current ?? { start: kept.text.length, end: kept.text.length }
    keptElement.current.setSelectionRange(at.start, at.end)
  })

  // This person holds the field and a peer claimed it too, or a peer's write (sent before they saw
  // the claim) replaced the text: put ours back, so what the field ends with is what its holder
  // sees, and say that the peer's text was kept aside on their screen. Either sign may be missed
  // (a claim that lasted less than one presence publish; a write that lost to ours in Yjs), so
  // both are watched.
  useEffect(() => {
    if (holder !== 'me' || draft === null) return
    for (const peer of peers) contenders.current.add(peer.name)
    // Another value with nobody else claiming the field, well after this person's last key: a write
    // made while they paused (a restore, a revert), not a peer's racing theirs. It stands, and their
    // hold of the field ends (QA q32a: an idle cursor in the field wrote the old text back over a
    // restore, which said it had restored everything).
    if (contenders.current.size === 0 && value !== draft.text && Date.now() - typedAt.current > RACE_WINDOW_MS) {
      release()
      return
    }
    const by = [...contenders.current].join(', ') || 'Someone'
    if ((peers.length > 0 || !written.current.has(value)) && contest?.by !== by) setContest({ by })
    if (value !== draft.text) onChange(draft.text)
  }, [holder, value, peers])

  const type = (next: string, target: HTMLInputElement | HTMLTextAreaElement) => {
    caret.current = { start: target.selectionStart ?? next.length, end: target.selectionEnd ?? next.length }
    // Judged now, not at the last render: a peer's claim may have arrived since.
    const now = fieldHolder(claim.get()?.shapeId === shapeId && claim.get()?.field === field ? claim.get() : null, editor.user.getId(), peersTypingInto(store, shapeId, field, editor.user.getId()))
    if (now !== null && now !== 'me') {
      if (draft !== null) keepAside(next, draft.base, now.name)
      return
    }
    if (!mine) claim.set({ shapeId, field, since: Date.now() })
    typedAt.current = Date.now()
    clearTimeout(idle.current)
    idle.current = setTimeout(release, TYPING_IDLE_MS)
    setDraft({ text: next, base: draft?.base ?? value })
    if (draft === null) written.current.add(value)
    written.current.add(next)
    onChange(next)
  }

  // Who is typing, as the field's description (it named an element that did not exist).
  const typingId = useId()
  const shown = lockedBy ? value : (draft?.text ?? value)
  const common = {
    value: shown,
    readOnly: lockedBy !== null,
    maxLength: 2000,
    onBlur: release,
    // tldraw takes keys typed outside an editable field as shortcuts ('z' picks the zoom tool): a
    // read-only field must not hand them on. Esc goes on to the side panel, which leaves the field.
    onKeyDown: (event: { key: string; stopPropagation(): void }) => {
      if (event.key !== 'Escape') event.stopPropagation()
    },
    onChange: (event: { target: HTMLInputElement | HTMLTextAreaElement }) => type(event.target.value, event.target),
  }
  const fieldRef = (element: HTMLInputElement | HTMLTextAreaElement | null) => {
    fieldElement.current = element
  }
  return (
    <>
      <Field label={label} internal={internal}>
        {(id) =>
          rows ? (
            <textarea id={id} ref={fieldRef} rows={rows} {...common} aria-describedby={lockedBy ? typingId : undefined} />
          ) : (
            <input id={id} ref={fieldRef} type="text" {...common} aria-describedby={lockedBy ? typingId : undefined} />
          )
        }
      </Field>
      {lockedBy && (
        <p id={typingId} className="field-typing" role="status" style={{ borderColor: lockedBy.color }}>
          {lockedBy.name} is typing here…
        </p>
      )}
      {contest && (
        <div className="field-kept" role="status">
          <p>
            {contest.by} started typing into {label} at the same moment as you. Your text stays; theirs is kept aside on their screen, and they can add it to yours.
          </p>
          <button type="button" className="button" onClick={() => setContest(null)}>
            Dismiss
          </button>
        </div>
      )}
      {kept && (
        <div className="field-kept" role="alert">
          <p>
            {kept.by} started typing into {label} just before you, so your text was not kept there. It is here; keep typing if you like:
          </p>
          <textarea
            ref={keptElement}
            aria-label={`Your text for ${label}`}
            rows={3}
            maxLength={2000}
            value={kept.text}
            onKeyDown={stopPropagation}
            onChange={(event) => setKept({ ...kept, text: event.target.value })}
          />
          <button
            type="button"
            className="button"
            disabled={lockedBy !== null}
            title={`Adds your text to what ${kept.by} wrote; nothing of theirs is removed`}
            onClick={() => {
              startEditStep(editor, shapeId, field)
              onChange(mergeKeptText(kept.base, value, kept.text))
              setKept(null)
            }}
          >
            Add my text
          </button>{' '}
          <button type="button" className="button" onClick={() => setKept(null)}>
            Dismiss
          </button>
        </div>
      )}
    </>
  )
}

const stopPropagation = (event: { stopPropagation(): void }) => event.stopPropagation()

function withEntry<T>(all: PerField<T>, key: string, entry: T | null): PerField<T> {
  const next = new Map(all)
  if (entry) next.set(key, entry)
  else next.delete(key)
  return next
}
