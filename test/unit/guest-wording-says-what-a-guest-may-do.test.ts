/**
 * QA q30b wording: a guest's Snapshots button promised "restore", which a guest may not do; and a
 * guest told that the facilitator presents a board it does not see read "…you follow them" while
 * its page stayed where it was.
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { MemoryRouter } from 'react-router'
import { expect, test } from 'vitest'
import { summonAnnouncement } from '../../client/control/summonText.ts'
import { SnapshotsLink } from '../../client/review/SnapshotsLink.tsx'
import { canRestore } from '../../shared/roles.ts'

const link = (role: 'guest' | 'facilitator') => renderToStaticMarkup(createElement(MemoryRouter, null, createElement(SnapshotsLink, { workshopId: 'w1', canRestore: canRestore(role) })))

test("the Snapshots button promises restore only to a role that may restore", () => {
  expect(link('facilitator')).toContain('title="Snapshots: review, compare, export and restore"')
  expect(link('guest')).toContain('title="Snapshots: review, compare and export"')
})

test('a summon to a board this page does not see says it stays where it is', () => {
  expect(summonAnnouncement({ leaderName: 'Fran', board: 'internal', present: true })).toBe('Fran is presenting a board you do not see: you stay where you are')
  expect(summonAnnouncement({ leaderName: 'Fran', board: 'internal', present: false })).toBe('Fran brought everyone to a board you do not see: you stay where you are')
  expect(summonAnnouncement({ leaderName: 'Fran', board: 'swot', present: true })).toBe('Fran is presenting SWOT: you follow them')
  expect(summonAnnouncement({ leaderName: 'Fran', board: 'actions', present: false })).toBe('Fran brought everyone to Action plan')
})
