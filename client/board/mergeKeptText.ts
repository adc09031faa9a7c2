/**
 * Puts text kept aside by the one-typist rule (docs/decisions/006-concurrent-text.md) into a field
 * without erasing what the field's holder wrote meanwhile: both started from `base` (the field's
 * text when the person whose text was kept started typing); `current` is the field now, `mine` the
 * kept text. Each side's change is taken as one splice of `base` (what lies between the longest
 * common start and end). Splices that touch different parts of `base` are both applied; two
 * insertions at the same place keep the holder's first. Splices that change the same characters
 * cannot both apply: `mine` goes after the current text, on its own line, whole.
 * @example
 * mergeKeptText('Owns', 'Owns the budget.', 'Owns Q3.') // 'Owns the budget. Q3.'
 */
export function mergeKeptText(base: string, current: string, mine: string): string {
  if (current === base || current === mine) return mine
  if (mine === base) return current
  const theirs = spliceOf(base, current)
  const ours = spliceOf(base, mine)
  const insert = mine.slice(ours.start, mine.length - (base.length - ours.end))
  if (ours.start >= theirs.end) {
    // After their change (also: both inserted at the same place, theirs first).
    const shift = current.length - base.length
    const before = current.slice(0, ours.start + shift)
    return before + spaced(before, insert, ours.start === theirs.end && ours.start === ours.end && theirs.start === theirs.end) + current.slice(ours.end + shift)
  }
  if (ours.end <= theirs.start) return current.slice(0, ours.start) + insert + current.slice(ours.end)
  return current + (current.endsWith('\n') || current === '' ? '' : '\n') + mine
}

/** The part of `base` that `changed` replaced: [start, end) of `base`. */
function spliceOf(base: string, changed: string): { start: number; end: number } {
  let start = 0
  const shortest = Math.min(base.length, changed.length)
  while (start < shortest && base[start] === changed[start]) start++
  let common = 0
  while (common < shortest - start && base[base.length - 1 - common] === changed[changed.length - 1 - common]) common++
  return { start, end: base.length - common }
}

/** Two insertions at the same place: keep the words apart when neither side has a space there. */
function spaced(before: string, insert: string, samePlace: boolean): string {
  if (!samePlace || before === '' || insert === '' || /\s$/.test(before) || /^\s/.test(insert)) return insert
  return ` ${insert}`
}
