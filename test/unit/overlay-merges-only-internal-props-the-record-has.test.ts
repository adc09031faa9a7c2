import { describe, expect, test } from 'vitest'
import type { JsonObject, JsonValue } from '@tldraw/utils'
import { mergeOverlay, resolveSensitivity } from '../../shared/sensitivity.ts'
import { stakeholder } from '../helpers/planBoards.ts'

// [A30] The team's record is the shared one with its overlay of internal fields applied. An overlay
// entry may be stale or meant for another card type: it must never change a visible field or add
// a prop the record does not have.

const sensitivity = resolveSensitivity(undefined)
// As the shared document holds a card: its internal fields at their stand-ins.
const card = stakeholder('shape:anna', { x: 0, y: 0 }, { name: 'Anna', influence: 'medium', attitude: 'neutral' }) as unknown as JsonObject // tldraw records are JSON

describe('[A30] mergeOverlay', () => {
  test('applies the internal fields of the overlay', () => {
    const merged = mergeOverlay(card, new Map<string, JsonValue>([['props.attitude', 'blocker'], ['props.owner', 'Ada']]), sensitivity)
    expect(merged.props).toMatchObject({ name: 'Anna', attitude: 'blocker', owner: 'Ada' })
    expect((card.props as JsonObject).attitude).toBe('neutral') // the shared record is not changed
  })

  test('ignores visible fields, props the card lacks and fields outside props', () => {
    const overlay = new Map<string, JsonValue>([['props.name', 'Mallory'], ['props.baseline', 5], ['x', 900], ['meta.keyplanInternal', true]])
    expect(mergeOverlay(card, overlay, sensitivity)).toBe(card)
  })

  test('follows the workshop sensitivity: a field made visible is no longer taken from the overlay', () => {
    const visibleAttitude = resolveSensitivity({ 'stakeholder.attitude': 'visible' })
    const merged = mergeOverlay(card, new Map<string, JsonValue>([['props.attitude', 'blocker'], ['props.owner', 'Ada']]), visibleAttitude)
    expect(merged.props).toMatchObject({ attitude: 'neutral', owner: 'Ada' })
  })

  test('leaves records without card props as they are', () => {
    const page = { id: 'page:page', typeName: 'page', name: 'Page', index: 'a1', meta: {} }
    expect(mergeOverlay(page, new Map<string, JsonValue>([['props.attitude', 'blocker']]), sensitivity)).toBe(page)
  })
})
