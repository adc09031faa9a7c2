/**
 * A small workshop written by real clients, for snapshot tests: one note per SWOT quadrant and
 * one outside, two stakeholders with a "reports to" arrow, two actions.
 */
import type { TLRecord } from '@tldraw/tlschema'
import type { JsonObject } from '@tldraw/utils'
import { SWOT_FRAMES } from '../../shared/templates.ts'
import { openBoard, type BoardClient } from './boardClients.ts'
import type { TestServer } from './startServer.ts'
import { action, arrow, arrowBinding, axisHeader, competitor, note, objective, stakeholder, whitespaceCell } from './planBoards.ts'

/** A note placed well inside a template quadrant (the template's frames, page coordinates). */
export function noteIn(quadrant: keyof typeof SWOT_FRAMES, id: string, text: string, author?: string): TLRecord {
  const { x, y } = SWOT_FRAMES[quadrant].bounds
  return note(id, { x: x + 100, y: y + 100, ...(author ? { meta: { createdBy: author } } : {}) }, text)
}

export const SAMPLE = {
  swot: [
    noteIn('strengths', 'shape:n-strong', 'Strong brand in DACH', 'Ada'),
    noteIn('weaknesses', 'shape:n-slow', 'Slow delivery in Q3'),
    noteIn('opportunities', 'shape:n-cloud', 'Cloud migration budget'),
    noteIn('threats', 'shape:n-rival', 'Competitor discount'),
    note('shape:n-loose', { x: 4000, y: 4000 }, 'Ask about budget'),
  ],
  stakeholders: [
    stakeholder('shape:ceo', { x: 0, y: 0 }, { name: 'Dana Ortiz', jobTitle: 'CEO', influence: 'high', attitude: 'neutral' }),
    stakeholder('shape:cfo', { x: 400, y: 0 }, { name: 'Lee Chen', jobTitle: 'CFO', attitude: 'skeptic' }),
    arrow('shape:r1', { x: 0, y: 0, meta: { relationship: 'reports_to' } }),
    arrowBinding('shape:r1', 'shape:cfo', 'start'),
    arrowBinding('shape:r1', 'shape:ceo', 'end'),
  ],
  actions: [
    action('shape:a1', { x: 20, y: 100 }, { title: 'Send proposal', owner: 'Ada', due: '2099-12-01', status: 'open' }),
    action('shape:a2', { x: 20, y: 300 }, { title: 'Book exec meeting', owner: 'Grace', status: 'in_progress' }),
  ],
} as const satisfies Record<string, readonly TLRecord[]>

/** Writes {@link SAMPLE} through the three clients. */
export async function writeSample(boards: Record<'swot' | 'stakeholders' | 'actions', BoardClient>): Promise<void> {
  await boards.swot.write(SAMPLE.swot)
  await boards.stakeholders.write(SAMPLE.stakeholders)
  await boards.actions.write(SAMPLE.actions)
}

/** The three boards of {@link SAMPLE}. */
export type SampleBoards = Record<'swot' | 'stakeholders' | 'actions', BoardClient>

/**
 * Opens a client on each of the three boards (present as `names`' person, else Ada) and writes
 * {@link SAMPLE} through them.
 */
export async function openSampleBoards(server: TestServer, workshopId: string, names: Partial<Record<keyof SampleBoards, string>> = {}): Promise<SampleBoards> {
  const boards: SampleBoards = {
    swot: await openBoard(server, workshopId, 'swot', names.swot ?? 'Ada'),
    stakeholders: await openBoard(server, workshopId, 'stakeholders', names.stakeholders ?? 'Ada'),
    actions: await openBoard(server, workshopId, 'actions', names.actions ?? 'Ada'),
  }
  await writeSample(boards)
  return boards
}

/**
 * The account plan boards of issue 15 in small: an objective with a KPI and an action linked to
 * it; a whitespace matrix of one business unit × two offerings (we supply one, the other is an
 * open opportunity) and a competitor.
 */
export const SAMPLE_ACCOUNT_PLAN = {
  objectives: [
    objective('shape:o1', { x: 40, y: 60 }, { objective: 'Grow tracking revenue', measure: 'Revenue', unit: 'EUR', baseline: 1e6, target: 1.4e6, targetDate: '2027-06-30', owner: 'Ada' }),
  ],
  actions: [action('shape:a1', { x: 20, y: 100 }, { title: 'Pilot with Ops', owner: 'Ada', due: '2099-01-31', objectives: ['shape:o1'] })],
  whitespace: [
    axisHeader('shape:r1', 'row', { x: 0, y: 200 }, 'Logistics'),
    axisHeader('shape:k1', 'column', { x: 300, y: 0 }, 'Tracking'),
    axisHeader('shape:k2', 'column', { x: 600, y: 0 }, 'Billing'),
    whitespaceCell('shape:c1', { x: 300, y: 200 }, { kind: 'we_supply', value: 300_000 }),
    whitespaceCell('shape:c2', { x: 600, y: 200 }, { kind: 'opportunity', value: 200_000, probability: 50 }),
    competitor('shape:g1', { x: 2000, y: 100 }, { name: 'Globex', position: 'incumbent' }),
  ],
} as const satisfies Record<string, readonly TLRecord[]>

/** A record of this client with some props changed, ready to write back. */
export function withProps(client: BoardClient, id: string, props: JsonObject): JsonObject {
  const record = client.records().get(id)
  if (!record) throw new Error(`no record ${id}`)
  return { ...record, props: { ...(record.props as JsonObject), ...props } } // a shape's props are an object
}
