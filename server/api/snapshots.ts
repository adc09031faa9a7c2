/**
 * Snapshot routes under `/api/workshops/:id` (issue 4; rules [S16]–[S20] in docs/server-rules.md):
 * - `POST /snapshots` `{ label? }` → 201 the plan record (facilitator);
 * - `GET  /snapshots` → `{ snapshots: PlanSummary[] }`, newest first;
 * - `GET  /snapshots/:sid` → the plan record; `?format=md` → the plan as Markdown; `?format=pdf` → a PDF
 *   for the sponsor (docs/accounts.md [K10]); exports are named `<account>-<workshop>-<date>.<ext>`;
 * - `GET  /health` → the live plan health ([A22]);
 * - `GET  /snapshots/:sid/actions.csv`, `/stakeholders.csv`, `/objectives.csv`, `/whitespace.csv`,
 *   `/whitespace-units.csv` (opportunities and share of wallet per unit), `/competitors.csv`,
 *   `/votes.csv`, `/notes.csv` (notes on the boards other than the SWOT, [P17]) → CSV exports;
 * - `GET  /snapshots/:sid/boards/:board` → `{ schema, records }` of the board at that snapshot;
 * - `GET  /snapshots/:sid/diff/:other` → what changed from `:other` (the older) to `:sid`;
 * - `POST /snapshots/:sid/restore` `{ board }` → the restore result (facilitator).
 * Every route needs a token of the workshop ([A1]); a role sees only the sections of the boards it
 * may see, so a guest's plan, diff and exports lack internal sections ([A6], [S20]). A guest sees
 * a board of a snapshot only if it was customer-facing when the snapshot was taken and is now
 * ([A17]), and only the participants who were on such boards ([A18]); a diff needs the board
 * customer-facing in both snapshots and now ([A19]).
 */
import type { JsonObject } from '@tldraw/utils'
import { Hono, type Context } from 'hono'
import * as Y from 'yjs'
import { z } from 'zod'
import { WorkshopIdSchema } from '../../shared/api.ts'
import { BOARD_IDS, BoardIdSchema, type BoardId } from '../../shared/boards.ts'
import { readRecords, readStoredSchema } from '../../shared/docLayout.ts'
import type { PlanRecord, PlanSummary, PlanView } from '../../shared/plan.ts'
import { actionsCsv, boardNotesCsv, competitorsCsv, objectivesCsv, stakeholdersCsv, votesCsv, whitespaceCsv, whitespaceUnitsCsv } from '../../shared/planCsv.ts'
import { contentDisposition } from '../../shared/exportName.ts'
import { diffPlans, withItemNames, withoutUnsharing } from '../../shared/planDiff.ts'
import { NOT_SHARED, titleOf } from '../../shared/planLabels.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import { canRestore, canTakeSnapshot } from '../../shared/roles.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'
import {
  CreateSnapshotBodySchema,
  RestoreBoardBodySchema,
  SnapshotIdSchema,
  type SnapshotBoard,
  type LinkTargets,
  type LiveHealth,
  type SnapshotList,
} from '../../shared/snapshotApi.ts'
import type { AuthGuards, AuthVariables } from '../auth/middleware.ts'
import { docFromUpdates } from '../snapshot/boardDocs.ts'
import { guestLabel, guestPlan, snapshotInternalState, withInternalPart, restrictPlan, seesEverything, snapshotBoardsVisible, type SnapshotAccess } from '../snapshot/snapshotAccess.ts'
import { customerSafeRecord, insideHidden, isInternalRecord, resolveSensitivity } from '../../shared/sensitivity.ts'
import { withheldFields } from '../../shared/withheld.ts'
import type { SnapshotService } from '../snapshot/SnapshotService.ts'
import { decodeSeen } from '../snapshot/seenVersions.ts'
import { CorruptRecordError, type Store } from '../store/Store.ts'
import { planRecordUtf8 } from '../store/planRecord.ts'
import { healthOf } from './accounts.ts'
import { HttpError, parseJsonBody, parseWith } from './errors.ts'

export type SnapshotRoutesDeps = {
  store: Store
  snapshots: SnapshotService
  /** The workshop-token guard and role checks of `server/auth/middleware.ts`. */
  guards: Pick<AuthGuards, 'workshop' | 'role'>
}

type Env = { Variables: AuthVariables }

const FormatQuerySchema = z.object({ format: z.enum(['json', 'md', 'pdf']).default('json') })

/** `GET /:id/link-targets?view=customer`: the team's preview of a guest's pickers. */
const LinksQuerySchema = z.object({ view: z.enum(['team', 'customer']).default('team') })

const notFound = (what: string) => new HttpError(404, 'not_found', `no ${what} with this id`)

/** Routes mounted at `/api/workshops`. */
export function snapshotRoutes(deps: SnapshotRoutesDeps): Hono<Env> {
  const { store, snapshots, guards } = deps

  /** The snapshot's plan as the caller may see it, after the workshop and snapshot checks. */
  const viewOf = async (c: Context<Env>): Promise<PlanView> => {
    const { plan, recorded } = await readSnapshot(c, 'sid')
    // A full record is a valid view; sections of hidden boards are dropped, not blanked ([A6], [S20]).
    return guestSafe(c, restrictPlan(plan, boardsVisible(c, [recorded]), recorded), [recorded])
  }

  /** The workshop's time zone, which dates exports and their file names ([K10]). */
  const timeZoneOf = async (c: Context<Env>): Promise<string> =>
    (await store.getWorkshop(c.get('workshopAuth').workshopId))?.timeZone ?? DEFAULT_TIME_ZONE

  /** The plan and access record of the snapshot named by route param `param`. */
  const readSnapshot = async (c: Context<Env>, param: string): Promise<{ plan: PlanRecord; recorded: SnapshotAccess | null }> => {
    const snapshotId = parseWith(SnapshotIdSchema, c.req.param(param), 'invalid_param')
    const { workshopId } = c.get('workshopAuth')
    const plan = await readPlan(store, workshopId, snapshotId)
    return { plan, recorded: await readAccessRecord(store, workshopId, snapshotId) }
  }

  return new Hono<Env>()
    // Hono's `/*` also matches `/:id/snapshots` itself: one guard run per request, so a bad token
    // counts once towards the rate limit ([A10]).
    .use('/:id/snapshots/*', validWorkshop, guards.workshop())
    .use('/:id/health', validWorkshop, guards.workshop())
    // [A22] the live plan health, read off every board: a guest gets it only while every board is
    // customer-facing (then it is computed from customer-visible data only), else 403.
    .get('/:id/health', async (c) => {
      const { workshopId } = c.get('workshopAuth')
      await requireWorkshop(store, workshopId)
      if (!seesEverything(boardsVisible(c, []))) throw new HttpError(403, 'forbidden', 'plan health is read off internal boards')
      // [A22] and off internal fields (issue 13): never a guest's.
      if (c.get('workshopAuth').role === 'guest') throw new HttpError(403, 'forbidden', 'plan health is read off internal fields')
      const plan = await snapshots.livePlan(workshopId)
      const body: LiveHealth = { ...linkTargetsOf(plan), health: plan.health }
      return c.json(body)
    })
    .use('/:id/link-targets', validWorkshop, guards.workshop())
    // [A42] what the side panel's link pickers offer: a guest's (and "View as customer") read off
    // the customer's view of the live boards, the team's off every board.
    .get('/:id/link-targets', async (c) => {
      const { view } = parseWith(LinksQuerySchema, c.req.query(), 'invalid_query')
      const { workshopId, role, access } = c.get('workshopAuth')
      await requireWorkshop(store, workshopId)
      // A guest's, and the team's preview of it, by the boards a guest sees now (the team's own role sees every board).
      const plan =
        role === 'guest' || view === 'customer'
          ? await snapshots.liveCustomerView(workshopId, snapshotBoardsVisible('guest', access.customerFacing, []))
          : await snapshots.livePlan(workshopId)
      return c.json(linkTargetsOf(plan))
    })
    .post('/:id/snapshots', guards.role(canTakeSnapshot), async (c) => {
      const body = await parseJsonBody(c, CreateSnapshotBodySchema)
      const seen = decodeSeen(body.seen)
      const { workshopId } = c.get('workshopAuth')
      await requireWorkshop(store, workshopId)
      // [S42] the saving page's own last edits may still be on their way.
      await snapshots.untilSeen(workshopId, seen)
      const record = await snapshots.take(workshopId, 'manual', body.label || null)
      // The record just stored: the very bytes the store wrote, not serialised or encoded again.
      return c.body(planRecordUtf8(record), 201, { 'content-type': 'application/json' })
    })
    .get('/:id/snapshots', async (c) => {
      const { workshopId } = c.get('workshopAuth')
      await requireWorkshop(store, workshopId)
      const summaries = await store.listSnapshots(workshopId)
      // [S20] the stored counts cover every board; a restricted role's counts come from its view of
      // each snapshot, by that snapshot's flags and today's ([A17]).
      // A snapshot without a record counts as all internal: whoever still sees everything then is not restricted.
      const restricted = !seesEverything(boardsVisible(c, [null]))
      const body: SnapshotList = { snapshots: restricted ? await Promise.all(summaries.map((s) => restrictedSummary(c, store, workshopId, s))) : summaries }
      return c.json(body)
    })
    .get('/:id/snapshots/:sid', async (c) => {
      const { format } = parseWith(FormatQuerySchema, c.req.query(), 'invalid_query')
      const view = await viewOf(c)
      if (format === 'json') return c.json(view)
      const timeZone = await timeZoneOf(c)
      if (format === 'pdf') {
        // [K10] made from the caller's view: a guest's PDF holds only what the guest may see.
        // pdf-lib loads with the first PDF asked for, not with every server.
        const { planPdfInTurn, PdfBusyError } = await import('../snapshot/planPdf.ts')
        const pdf = await planPdfInTurn(view, { timeZone, health: healthOf(view) }).catch((error: unknown) => {
          if (!(error instanceof PdfBusyError)) throw error
          c.header('Retry-After', '2')
          throw new HttpError(503, 'busy', error.message)
        })
        c.header('Content-Type', 'application/pdf')
        c.header('Content-Disposition', contentDisposition(view, timeZone, 'pdf'))
        return c.body(pdf.slice().buffer)
      }
      return download(c, planMarkdown(view, timeZone), 'text/markdown; charset=utf-8', contentDisposition(view, timeZone, 'md'))
    })
    .get('/:id/snapshots/:sid/actions.csv', async (c) => {
      const view = await viewOf(c)
      if (!view.actions) throw hiddenSection()
      return download(c, actionsCsv({ actions: view.actions, withheld: view.withheld }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'actions.csv'))
    })
    .get('/:id/snapshots/:sid/votes.csv', async (c) => {
      // The view holds only votes on boards this role may see.
      const view = await viewOf(c)
      return download(c, votesCsv({ votes: view.votes }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'votes.csv'))
    })
    .get('/:id/snapshots/:sid/stakeholders.csv', async (c) => {
      const view = await viewOf(c)
      if (!view.stakeholders) throw hiddenSection()
      return download(c, stakeholdersCsv({ stakeholders: view.stakeholders, withheld: view.withheld }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'stakeholders.csv'))
    })
    .get('/:id/snapshots/:sid/objectives.csv', async (c) => {
      const view = await viewOf(c)
      if (!view.objectives) throw hiddenSection()
      return download(c, objectivesCsv({ objectives: view.objectives, withheld: view.withheld, actions: view.actions, swot: view.swot }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'objectives.csv'))
    })
    .get('/:id/snapshots/:sid/whitespace.csv', async (c) => {
      const view = await viewOf(c)
      if (!view.whitespace) throw hiddenSection()
      return download(c, whitespaceCsv({ whitespace: view.whitespace, withheld: view.withheld }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'whitespace.csv'))
    })
    .get('/:id/snapshots/:sid/whitespace-units.csv', async (c) => {
      const view = await viewOf(c)
      if (!view.whitespace) throw hiddenSection()
      return download(c, whitespaceUnitsCsv({ whitespace: view.whitespace }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'whitespace-units.csv'))
    })
    .get('/:id/snapshots/:sid/competitors.csv', async (c) => {
      const view = await viewOf(c)
      if (!view.competitors) throw hiddenSection()
      return download(c, competitorsCsv({ competitors: view.competitors, withheld: view.withheld }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'competitors.csv'))
    })
    .get('/:id/snapshots/:sid/notes.csv', async (c) => {
      // [P17] The view holds only the notes of boards this role may see; a plan taken before notes were read has none.
      const view = await viewOf(c)
      return download(c, boardNotesCsv({ notes: view.notes ?? [] }), 'text/csv; charset=utf-8', contentDisposition(view, await timeZoneOf(c), 'notes.csv'))
    })
    .get('/:id/snapshots/:sid/boards/:board', async (c) => {
      const { workshopId } = c.get('workshopAuth')
      const snapshotId = parseWith(SnapshotIdSchema, c.req.param('sid'), 'invalid_param')
      const board = parseWith(BoardIdSchema, c.req.param('board'), 'invalid_param')
      // [A17] checked first: a guest learns nothing of a board it may not see, not even whether the snapshot exists.
      const recorded = await readAccessRecord(store, workshopId, snapshotId)
      if (!boardsVisible(c, [recorded])[board]) throw new HttpError(403, 'forbidden', 'your role may not see this board')
      const guest = c.get('workshopAuth').role === 'guest'
      const shared = await openBoardAt(store, workshopId, snapshotId, board)
      const doc = guest ? shared : withInternalPart(shared, recorded, await snapshotInternalState(store, workshopId, snapshotId, board, recorded))
      try {
        const records = [...readRecords(doc).values()]
        const body: SnapshotBoard = {
          schema: { ...(readStoredSchema(doc) ?? createKeyplanSchema().serialize()) },
          // [A36] a snapshot from before issue 13 holds internal values in its board state.
          records: (guest ? guestRecords(records, recorded) : records).filter(isRecordJson),
          // The records hold internal fields at their defaults: the canvas is told to leave them off.
          ...(guest ? { withheld: withheldFields(resolveSensitivity(recorded?.sensitivity)) } : {}),
        }
        return c.json(body)
      } finally {
        doc.destroy()
      }
    })
    .get('/:id/snapshots/:sid/diff/:other', async (c) => {
      const newer = await readSnapshot(c, 'sid')
      const older = await readSnapshot(c, 'other')
      // [A19] one set of boards for both sides: shown only if customer-facing in both snapshots and now.
      const visible = boardsVisible(c, [newer.recorded, older.recorded])
      const teamNewer = restrictPlan(newer.plan, visible, newer.recorded)
      const teamOlder = restrictPlan(older.plan, visible, older.recorded)
      const newerPlan = guestSafe(c, teamNewer, [newer.recorded])
      const olderPlan = guestSafe(c, teamOlder, [older.recorded])
      const diff = diffPlans(newerPlan, olderPlan)
      // A guest is not told as a change what only stopped being shared with them (QA q36b).
      const told = c.get('workshopAuth').role === 'guest' ? withoutUnsharing(diff, teamNewer, teamOlder, newerPlan, olderPlan) : diff
      // Named as either side had them (QA q36b: a deleted stakeholder's line read "someone no longer
      // on the map" on the workshop's own review, where only the account comparison named it).
      return c.json(withItemNames(told, newerPlan, olderPlan))
    })
    .post('/:id/snapshots/:sid/restore', guards.role(canRestore), async (c) => {
      const { workshopId } = c.get('workshopAuth')
      const snapshotId = parseWith(SnapshotIdSchema, c.req.param('sid'), 'invalid_param')
      const { board, by } = await parseJsonBody(c, RestoreBoardBodySchema)
      // [A21] an archived workshop's boards are read-only: unarchive it first.
      if ((await store.getWorkshop(workshopId))?.archivedAt !== undefined) throw new HttpError(409, 'workshop_archived', 'the workshop is archived; unarchive it to restore a board')
      // Issue 13: the board as the team had it, internal part included.
      const recorded = await readAccessRecord(store, workshopId, snapshotId)
      const target = withInternalPart(await openBoardAt(store, workshopId, snapshotId, board), recorded, await snapshotInternalState(store, workshopId, snapshotId, board, recorded))
      try {
        return c.json(await snapshots.restore(workshopId, snapshotId, board, target, { role: c.get('workshopAuth').role, name: by ?? null }))
      } finally {
        target.destroy()
      }
    })
}

/**
 * The link pickers' targets in `plan`: its objectives with their actions, and the SWOT's weaknesses
 * and threats. A title the reader may not see is named as withheld ("Objective not shared"), told
 * apart by what the reader sees of the card (its measure, else its owner), else numbered (QA q30b:
 * a guest's picker offered two identical "Objective not shared").
 */
function linkTargetsOf(plan: PlanView): LinkTargets {
  const actionTitle = new Map(plan.actions?.map((a) => [a.id, titleOf('action', a.title, '')]))
  const objectives = plan.objectives ?? []
  const titles = distinct(
    objectives.map((o) => {
      if (o.objective !== undefined) return { title: titleOf('objective', o.objective, ''), withheld: false }
      const hint = [o.measure, o.owner].find((value) => value !== undefined && value.trim() !== '')?.trim()
      return { title: hint === undefined ? NOT_SHARED.objective : `${NOT_SHARED.objective} (${hint})`, withheld: true }
    }),
  )
  return {
    computedAt: plan.takenAt,
    objectives: objectives.map((o, index) => ({
      id: o.id,
      title: titles[index] ?? '',
      actions: o.actions.map((id) => ({ id, title: actionTitle.get(id) ?? '' })),
    })),
    risks: [
      ...(plan.swot?.weaknesses ?? []).map((n) => ({ id: n.id, text: n.text, quadrant: 'weaknesses' as const })),
      ...(plan.swot?.threats ?? []).map((n) => ({ id: n.id, text: n.text, quadrant: 'threats' as const })),
    ],
  }
}

/** The titles, each withheld one that reads like another numbered in order ("Objective not shared #2"). */
function distinct(entries: readonly { title: string; withheld: boolean }[]): string[] {
  const count = new Map<string, number>()
  for (const { title, withheld } of entries) if (withheld) count.set(title, (count.get(title) ?? 0) + 1)
  const seen = new Map<string, number>()
  return entries.map(({ title, withheld }) => {
    if (!withheld || (count.get(title) ?? 0) < 2) return title
    const n = (seen.get(title) ?? 0) + 1
    seen.set(title, n)
    return `${title} #${n}`
  })
}

function guestSafe(c: Context<Env>, view: PlanView, recorded: readonly (SnapshotAccess | null)[]): PlanView {
  if (c.get('workshopAuth').role !== 'guest') return view
  return recorded.reduce<PlanView>((plan, access) => guestPlan(plan, access), view)
}

/** [A36] A snapshot board's records as a guest may see them. */
function guestRecords(records: JsonObject[], recorded: SnapshotAccess | null): JsonObject[] {
  const sensitivity = resolveSensitivity(recorded?.sensitivity)
  const internalIds = new Set(recorded?.internalIds ?? [])
  for (const record of records) if (isInternalRecord(record, sensitivity)) internalIds.add(String(record.id))
  const out = new Map<string, JsonObject>()
  for (const record of records) {
    const safe = internalIds.has(String(record.id)) ? null : customerSafeRecord(record, sensitivity, internalIds)
    if (safe) out.set(String(record.id), safe)
  }
  // [A39] nothing whose parent is internal or missing (written inside an internal frame).
  const inside = insideHidden(out, internalIds)
  return [...out.values()].filter((record) => !inside.has(String(record.id)))
}

function boardsVisible(c: Context<Env>, recorded: readonly (SnapshotAccess | null)[]): Record<BoardId, boolean> {
  const { role, access } = c.get('workshopAuth')
  return snapshotBoardsVisible(role, access.customerFacing, recorded)
}

/**
 * A snapshot's access record; null (every board internal for guests) when there is none or it
 * is damaged: a damaged record must not open boards ([A17]).
 */
async function readAccessRecord(store: Store, workshopId: string, snapshotId: string): Promise<SnapshotAccess | null> {
  try {
    return (await store.getSnapshotAccess(workshopId, snapshotId)) ?? null
  } catch (error) {
    if (error instanceof CorruptRecordError) return null
    throw error
  }
}

/**
 * A list entry as a restricted role may see it: counts of hidden sections are 0 (objectives, open
 * opportunities and competitors absent) and only warnings about visible boards count; a guest's
 * counts leave out internal items ([A36]). A damaged snapshot is listed with every count 0.
 */
async function restrictedSummary(c: Context<Env>, store: Store, workshopId: string, summary: PlanSummary): Promise<PlanSummary> {
  // Of the counts every entry has: a stored count of objectives or a health of 0 would read as known.
  const zero: PlanSummary['counts'] = { strengths: 0, weaknesses: 0, opportunities: 0, threats: 0, unsorted: 0, stakeholders: 0, relationships: 0, actions: 0, overdue: 0, warnings: 0 }
  let view: PlanView
  try {
    const plan = await store.getSnapshot(workshopId, summary.id)
    if (!plan) return { ...summary, counts: zero }
    const recorded = await readAccessRecord(store, workshopId, summary.id)
    view = guestSafe(c, restrictPlan(plan, boardsVisible(c, [recorded]), recorded), [recorded])
  } catch (error) {
    if (error instanceof CorruptRecordError) return { ...summary, counts: zero }
    throw error
  }
  // Each board's section of the view bears the board's id.
  const hidden = BOARD_IDS.filter((board) => view[board] === undefined)
  return {
    ...summary,
    label: c.get('workshopAuth').role === 'guest' ? guestLabel(summary) : summary.label,
    counts: {
      strengths: view.swot?.strengths.length ?? 0,
      weaknesses: view.swot?.weaknesses.length ?? 0,
      opportunities: view.swot?.opportunities.length ?? 0,
      threats: view.swot?.threats.length ?? 0,
      unsorted: view.swot?.unsorted.length ?? 0,
      stakeholders: view.stakeholders?.length ?? 0,
      relationships: view.relationships?.length ?? 0,
      actions: view.actions?.length ?? 0,
      overdue: view.actions?.filter((action) => action.overdue).length ?? 0,
      // Counted only for a section the view shows, from its items ([A36]: a guest's open
      // opportunities are summed over the cells it sees); health never, it reads what is hidden ([A22]).
      ...(view.objectives ? { objectives: view.objectives.length } : {}),
      ...(view.whitespace ? { openOpportunities: view.whitespace.opportunities.count } : {}),
      ...(view.competitors ? { competitors: view.competitors.length } : {}),
      warnings: view.warnings.length,
      ...(hidden.length > 0 ? { hidden } : {}),
    },
  }
}

/** 400 for a malformed workshop id: a question of syntax, answered before any lookup. */
async function validWorkshop(c: Context<Env>, next: () => Promise<void>): Promise<void> {
  parseWith(WorkshopIdSchema, c.req.param('id'), 'invalid_param')
  await next()
}

async function requireWorkshop(store: Store, workshopId: string): Promise<void> {
  if (!(await store.getWorkshop(workshopId))) throw notFound('workshop')
}

/** The stored record; 404 when unknown, 500 `corrupt_snapshot` when it fails validation ([S18]). */
async function readPlan(store: Store, workshopId: string, snapshotId: string): Promise<PlanRecord> {
  let plan: PlanRecord | undefined
  try {
    plan = await store.getSnapshot(workshopId, snapshotId)
  } catch (error) {
    if (error instanceof CorruptRecordError) throw new HttpError(500, 'corrupt_snapshot', 'this snapshot is damaged and cannot be read')
    throw error
  }
  if (!plan) throw notFound('snapshot')
  return plan
}

/**
 * The board as it was at the snapshot, in a private document the caller destroys. 404 when the
 * snapshot or board is unknown; 500 `corrupt_snapshot` when the stored state does not decode.
 */
async function openBoardAt(store: Store, workshopId: string, snapshotId: string, board: BoardId): Promise<Y.Doc> {
  await readPlan(store, workshopId, snapshotId)
  const state = await store.getSnapshotBoard(workshopId, snapshotId, board)
  if (!state) throw notFound('board in this snapshot')
  try {
    Y.decodeUpdate(state)
    return docFromUpdates([state])
  } catch {
    throw new HttpError(500, 'corrupt_snapshot', 'this board of the snapshot is damaged and cannot be read')
  }
}

const hiddenSection = () => new HttpError(403, 'forbidden', 'your role may not see this section')

function isRecordJson(record: Record<string, unknown>): record is { id: string; typeName: string } {
  return typeof record.id === 'string' && typeof record.typeName === 'string'
}



function download(c: Context, body: string, type: string, disposition: string): Response {
  c.header('Content-Type', type)
  c.header('Content-Disposition', disposition)
  // A CSV starts with a byte order mark: without it, Excel reads UTF-8 as the system's code page ("ZÃ¼rich").
  return c.body(type.startsWith('text/csv') ? `\uFEFF${body}` : body)
}
