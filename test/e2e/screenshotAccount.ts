/**
 * The account the README's screenshots show (Northwind Logistics: its people, their
 * relationships, sticky notes and actions) and the tldraw records that draw it, shared by
 * `screenshots.ts` and `reviewScreenshot.ts`, plus the server-and-browser run both scripts share.
 */
import type { JsonObject } from '@tldraw/utils'
import type { Browser } from 'playwright-core'
import { RELATIONSHIP_STYLES } from '../../shared/shapes.ts'
import { localToday } from '../../client/board/localDate.ts'
import type { ActionStatus, RelationshipKind, StakeholderCardProps } from '../../shared/shapes.ts'
import { ACTION_COLUMNS, SWOT_FRAMES, type SwotQuadrant } from '../../shared/templates.ts'
import { launchBrowser } from '../helpers/browser.ts'
import { ensureClientBuilt } from '../helpers/buildClient.ts'
import { action, arrow, arrowBinding, note, stakeholder } from '../helpers/planBoards.ts'
import { startServer, type TestServer } from '../helpers/startServer.ts'

/** Builds the client, starts the real server and Chromium, runs `shoot`, and closes both. */
export async function withServerAndBrowser(shoot: (server: TestServer, browser: Browser) => Promise<void>): Promise<void> {
  await ensureClientBuilt()
  const server = await startServer()
  const browser = await launchBrowser()
  try {
    await shoot(server, browser)
  } finally {
    await browser.close()
    await server.close()
  }
}

const json = (record: object) => record as unknown as JsonObject // tldraw records are JSON

/** `YYYY-MM-DD`, `days` from today in local time (as the board decides what is overdue). */
export function dayFromToday(days: number): string {
  const date = new Date()
  date.setDate(date.getDate() + days)
  return localToday(date)
}

/** Each key's running count at its position (0, 1, 2 … per key): a card's slot in its quadrant or column. */
export function slotsPerKey<K>(keys: readonly K[]): number[] {
  const seen = new Map<K, number>()
  return keys.map((key) => {
    const slot = seen.get(key) ?? 0
    seen.set(key, slot + 1)
    return slot
  })
}

const NOTE_COLORS: Record<SwotQuadrant, string> = {
  strengths: 'light-green',
  weaknesses: 'orange',
  opportunities: 'light-blue',
  threats: 'light-red',
}

/** A sticky note in a SWOT quadrant's frame, in the quadrant's colour; `at` is inside the frame. */
export function swotNote(id: string, quadrant: SwotQuadrant, at: { x: number; y: number }, text: string): JsonObject {
  const record = note(id, { ...at, parentId: SWOT_FRAMES[quadrant].id }, text)
  return json({ ...record, props: { ...record.props, color: NOTE_COLORS[quadrant], font: 'sans', size: 'm' } })
}

/** The customer's people as the account team sees them at the first workshop. */
export const STAKEHOLDERS = {
  helga: { name: 'Helga Brandt', jobTitle: 'CEO', department: 'Executive board', buyingRole: 'decision_maker', influence: 'high', attitude: 'neutral', owner: 'Dana Fischer' },
  maria: { name: 'Maria Chen', jobTitle: 'CFO', department: 'Finance', buyingRole: 'economic_buyer', influence: 'high', attitude: 'supporter', owner: 'Dana Fischer' },
  felix: { name: 'Felix Romano', jobTitle: 'CIO', department: 'IT', buyingRole: 'technical_buyer', influence: 'high', attitude: 'skeptic', owner: 'Jonas Keller' },
  sofia: { name: 'Sofia Lindqvist', jobTitle: 'VP Logistics Operations', department: 'Operations', buyingRole: 'champion', influence: 'medium', attitude: 'champion', owner: 'Jonas Keller' },
  aylin: { name: 'Aylin Demir', jobTitle: 'Category Manager', department: 'Procurement', buyingRole: 'gatekeeper', influence: 'medium', attitude: 'neutral', owner: 'Dana Fischer' },
  marcus: { name: 'Marcus Webb', jobTitle: 'Head of IT Security', department: 'IT', buyingRole: 'influencer', influence: 'medium', attitude: 'blocker', owner: 'Jonas Keller' },
  tom: { name: 'Tom Okafor', jobTitle: 'Dispatch Team Lead', department: 'Operations', buyingRole: 'user', influence: 'low', attitude: 'supporter', owner: 'Jonas Keller' },
} as const satisfies Record<string, Partial<StakeholderCardProps>>

export type StakeholderKey = keyof typeof STAKEHOLDERS

/** A stakeholder card `shape:person-<key>` at (x, y), with `changes` over the person's fields. */
export function stakeholderCard(key: StakeholderKey, x: number, y: number, changes: Partial<StakeholderCardProps> = {}): JsonObject {
  return json(stakeholder(`shape:person-${key}`, { x, y }, { ...STAKEHOLDERS[key], ...changes }))
}

/** A relationship arrow `shape:relationship-<i>` styled by its kind, with its two bindings. */
export function relationship(i: number, from: StakeholderKey, to: StakeholderKey, kind: RelationshipKind): JsonObject[] {
  const id = `shape:relationship-${i}`
  const base = arrow(id, { x: 0, y: 0, meta: { relationship: kind } })
  return [
    json({ ...base, props: { ...base.props, ...RELATIONSHIP_STYLES[kind] } }),
    json(arrowBinding(id, `shape:person-${from}`, 'start')),
    json(arrowBinding(id, `shape:person-${to}`, 'end')),
  ]
}

/** An action card `shape:action-<key>` at `slot` in its status's column, due `dueIn` days from today, serving `objectives` (shape ids). */
export function actionCard(key: string, status: ActionStatus, slot: number, title: string, owner: string, dueIn: number, objectives: string[] = []): JsonObject {
  return json(action(`shape:action-${key}`, { x: 90, y: 16 + slot * 136, parentId: ACTION_COLUMNS[status].id }, { title, owner, due: dayFromToday(dueIn), status, objectives }))
}
