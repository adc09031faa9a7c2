/**
 * Text kept aside by the one-typist rule goes into the field without erasing what the field's
 * holder wrote meanwhile (docs/decisions/006-concurrent-text.md, "Add my text").
 */
import { describe, expect, it } from 'vitest'
import { mergeKeptText } from '../../client/board/mergeKeptText.ts'

describe('mergeKeptText', () => {
  it('keeps both texts when both added at the same place, the holder’s first', () => {
    expect(mergeKeptText('Cares about TCO', 'Cares about TCO T-EDIT', 'Cares about TCO F-EDIT')).toBe('Cares about TCO T-EDIT F-EDIT')
    expect(mergeKeptText('', 'Prefers a 3-year TCO view.', 'Met at LogiMAT 2026.')).toBe('Prefers a 3-year TCO view. Met at LogiMAT 2026.')
  })

  it('applies changes to different parts of the text, each where it was made', () => {
    expect(mergeKeptText('Cares about TCO', 'Cares about TCO and uptime', 'Prio: Cares about TCO')).toBe('Prio: Cares about TCO and uptime')
    expect(mergeKeptText('Cares about TCO and uptime', 'Cares about TCO', 'Really cares about TCO and uptime')).toBe('Really cares about TCO')
  })

  it('puts the kept text whole on its own line when both changed the same words', () => {
    expect(mergeKeptText('Owns the budget.', 'Owns the plan.', 'Owns the money.')).toBe('Owns the plan.\nOwns the money.')
  })

  it('is the kept text when the holder changed nothing, and the field when the kept text changes nothing', () => {
    expect(mergeKeptText('a', 'a', 'ab')).toBe('ab')
    expect(mergeKeptText('a', 'ab', 'a')).toBe('ab')
    expect(mergeKeptText('a', 'ab', 'ab')).toBe('ab')
  })
})
