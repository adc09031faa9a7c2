import type { UnsentText } from './replayAfterRefusal.ts'
import { copyText } from '../copyText.ts'

/** What the person typed on in a `typing` entry's box, kept across the notice's remounts (the page moves it from the board to the workshop's notice). */
const typedOn = new WeakMap<UnsentText, string>()

/** How recently a field must have been typed into to count as being typed into. */
const TYPING_WITHIN_MS = 5000
let lastInput: { target: EventTarget | null; at: number } = { target: null, at: 0 }
if (typeof document !== 'undefined') {
  document.addEventListener('input', (event) => (lastInput = { target: event.target, at: performance.now() }), true)
}

/**
 * The side-panel field this person is typing into, if any, as an {@link UnsentText}: read the
 * moment the board goes (4403), before the panel is taken away with their next keys (QA q30b: a
 * guest typing as the board was unshared lost the rest of her text, and the team kept "… keep g").
 */
export function fieldBeingTyped(): UnsentText | null {
  const active = document.activeElement
  if (!(active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement) || active.type === 'date' || active.type === 'number') return null
  // Typed into, not only focused: the last input of the page went to this field a moment ago.
  if (lastInput.target !== active || performance.now() - lastInput.at > TYPING_WITHIN_MS) return null
  const panel = active.closest('.inspector')
  if (!panel || active.value.trim() === '') return null
  const field = active.labels?.[0]?.textContent?.trim() || 'Text'
  const first = panel.querySelector('input')
  const on = first?.value.trim() || panel.querySelector('h2')?.textContent?.trim() || 'a card'
  return { field, on, value: active.value, typing: true }
}

/** The unsent texts as one block to copy: "Title on ‘Send the list’: Send the list". */
function asText(unsent: readonly UnsentText[]): string {
  return unsent.map((entry) => `${entry.field} on ‘${entry.on}’: ${(entry.typing && typedOn.get(entry)) || entry.value}`).join('\n')
}

/**
 * What a guest changed offline on a board the facilitator made internal meanwhile: the page
 * drops its copy of the board ([A6]), and these changes never reached anyone (QA q30a: they were
 * dropped without a word). Their own texts, listed to copy, so they can send them another way.
 */
export function UnsentChanges({ unsent }: { unsent: readonly UnsentText[] }) {
  if (unsent.length === 0) return null
  return (
    <section className="card notice field-kept" role="alert" aria-label="Changes not sent">
      <p>{unsent.every((entry) => entry.typing) ? 'The board went as you typed. What you typed:' : 'These changes you made had not reached the server, so they were not kept:'}</p>
      <ul>
        {unsent.map((entry, index) =>
          entry.typing ? (
            <li key={index}>
              <label className="field">
                {`Your text for ${entry.field} on ‘${entry.on}’, to go on typing and copy`}
                <textarea
                  // The keys typed next land here, not on a page that has no field any more.
                  autoFocus
                  defaultValue={typedOn.get(entry) ?? entry.value}
                  onChange={(event) => typedOn.set(entry, event.target.value)}
                  onFocus={(event) => event.target.setSelectionRange(event.target.value.length, event.target.value.length)}
                />
              </label>
            </li>
          ) : (
            <li key={index}>
              {entry.field} on ‘{entry.on}’: <q>{entry.value}</q>
            </li>
          ),
        )}
      </ul>
      <button type="button" className="button" onClick={() => void copyText(asText(unsent))}>
        Copy my text
      </button>
    </section>
  )
}
