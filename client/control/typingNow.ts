/**
 * Whether this person is typing right now: the focus in a text entry (a field, a text area, a
 * note's or label's text) and a key pressed there within {@link TYPING_PAUSE_MS}. Following holds
 * a move to the leader's new board while it is so (QA q35a: a follower typing a note was carried
 * off mid-word; the rest of the word was lost and its letters ran the new board's tool shortcuts).
 */

/** A pause in typing this long ends it. */
export const TYPING_PAUSE_MS = 1500

const TEXT_ENTRY = 'input:not([type="checkbox"]):not([type="radio"]):not([type="button"]):not([type="submit"]), textarea, [contenteditable="true"], [contenteditable=""]'

let lastKeyAt = Number.NEGATIVE_INFINITY

/** True when `element` takes typed text. */
export function isTextEntry(element: Element | null): boolean {
  return element?.matches(TEXT_ENTRY) ?? false
}

if (typeof window !== 'undefined') {
  window.addEventListener(
    'keydown',
    (event) => {
      if (event.target instanceof Element && isTextEntry(event.target)) lastKeyAt = performance.now()
    },
    { capture: true, passive: true },
  )
}

/** True while the person types: the focus in a text entry and a key pressed there just now. */
export function typingNow(): boolean {
  return isTextEntry(document.activeElement) && performance.now() - lastKeyAt < TYPING_PAUSE_MS
}
