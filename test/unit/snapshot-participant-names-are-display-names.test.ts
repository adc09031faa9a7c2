/**
 * QA q28c: a raw client published names with a NUL, a line break, a right-to-left override, HTML
 * or 300 characters in its awareness, and they reached the snapshot's participants, its Markdown
 * and its "Present:" line (a guest's too): the override reversed the next person's name on screen.
 * The server keeps a name as the room's control channel takes one ([C1]).
 */
import { Awareness } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { expect, test } from 'vitest'
import { displayName, participantNames } from '../../server/snapshot/participants.ts'

test('control and format characters go, spaces run together, and a name is at most 40 characters', () => {
  expect(displayName('Mal\u0000lory\nEve')).toBe('Mal lory Eve')
  expect(displayName('\u202Eyrollam')).toBe('yrollam')
  expect(displayName('Zoë\u200B Zero')).toBe('Zoë Zero')
  expect(displayName('x'.repeat(300))).toHaveLength(40)
  expect(displayName('\u0007\u0008')).toBe('')
  // A name of letters outside the Basic Multilingual Plane is cut by character, not in a pair's middle.
  expect([...displayName('𝒜'.repeat(50))]).toHaveLength(40)
  expect(displayName('<b>Ann</b>')).toBe('<b>Ann</b>') // text: escaped where it is shown
})

test("names read from a room's awareness are display names; an empty one is no name", () => {
  const make = (userName: string) => {
    const awareness = new Awareness(new Y.Doc())
    awareness.setLocalState({ presence: { userName } })
    return participantNames(awareness)
  }
  expect(make('Mal\u202Elory')).toEqual(['Mallory'])
  expect(make('\u0000')).toEqual([])
  expect(make('A'.repeat(300))).toEqual(['A'.repeat(40)])
})
