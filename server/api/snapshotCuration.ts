/**
 * Snapshot curation and account scope under `/api/workshops/:id/snapshots/:sid` (issue 16,
 * docs/accounts.md [K6], [K9]):
 * - `GET /api/workshops/:id/timeline` the snapshots grouped as the timeline shows them ([K8]);
 * - `PATCH` `{ label }` names or renames a snapshot (facilitator);
 * - `DELETE` deletes an automatic, unnamed snapshot (facilitator); manual and named ones are kept (409);
 * - `GET .../since-last-workshop` what changed since the account's previous workshop, as the
 *   caller's role may see it (not a guest's: 403); a board shows only if it may see it now ([A19]).
 */
import { Hono } from 'hono'
import { RenameSnapshotBodySchema, type SinceLastWorkshop, type WorkshopTimeline } from '../../shared/accounts.ts'
import { WorkshopIdSchema } from '../../shared/api.ts'
import { diffPlans, withItemNames } from '../../shared/planDiff.ts'
import { canRestore } from '../../shared/roles.ts'
import { SnapshotIdSchema } from '../../shared/snapshotApi.ts'
import type { AuthGuards, AuthVariables } from '../auth/middleware.ts'
import { collapseTimeline } from '../snapshot/collapseTimeline.ts'
import { guestPlan, restrictPlan, snapshotBoardsVisible, type SnapshotAccess } from '../snapshot/snapshotAccess.ts'
import { CorruptRecordError, type Store } from '../store/Store.ts'
import { HttpError, parseJsonBody, parseWith } from './errors.ts'

type Env = { Variables: AuthVariables }

export type SnapshotCurationDeps = {
  store: Store
  guards: Pick<AuthGuards, 'workshop' | 'role'>
}

/** Triggers a facilitator may delete ([K9]): the automatic ones that pile up. */
const DELETABLE = new Set(['session_end', 'periodic'])

const notFound = (what: string) => new HttpError(404, 'not_found', `no ${what} with this id`)

/** Routes mounted at `/api/workshops`. */
export function snapshotCurationRoutes({ store, guards }: SnapshotCurationDeps): Hono<Env> {
  const read = async (workshopId: string, snapshotId: string) => {
    try {
      return await store.getSnapshot(workshopId, snapshotId)
    } catch (error) {
      if (error instanceof CorruptRecordError) throw new HttpError(500, 'corrupt_snapshot', 'this snapshot is damaged and cannot be read')
      throw error
    }
  }
  const recordOf = async (workshopId: string, snapshotId: string): Promise<SnapshotAccess | null> => {
    try {
      return (await store.getSnapshotAccess(workshopId, snapshotId)) ?? null
    } catch (error) {
      if (error instanceof CorruptRecordError) return null
      throw error
    }
  }
  const ids = (param: (name: string) => string | undefined) => ({
    workshopId: parseWith(WorkshopIdSchema, param('id'), 'invalid_param'),
    snapshotId: parseWith(SnapshotIdSchema, param('sid'), 'invalid_param'),
  })

  return new Hono<Env>()
    .get('/:id/timeline', guards.workshop(), async (c) => {
      const { workshopId, role, access } = c.get('workshopAuth')
      parseWith(WorkshopIdSchema, c.req.param('id'), 'invalid_param')
      const snapshots = (await store.listSnapshots(workshopId)).map((summary) => ({ workshopId, summary }))
      // [K8] judged on what this role sees of each plan: a guest learns nothing of internal boards,
      // nor ([A36]) of internal items and fields, whose change alone would keep two entries apart.
      const entries = await collapseTimeline(snapshots, async (s) => {
        const plan = await read(workshopId, s.summary.id)
        const recorded = await recordOf(workshopId, s.summary.id)
        const restricted = plan && restrictPlan(plan, snapshotBoardsVisible(role, access.customerFacing, [recorded]), recorded)
        return restricted && role === 'guest' ? guestPlan(restricted, recorded) : restricted
      })
      const body: WorkshopTimeline = { entries: entries.map((e) => ({ id: e.summary.id, collapsed: e.collapsed })) }
      return c.json(body)
    })
    .patch('/:id/snapshots/:sid', guards.workshop(), guards.role(canRestore), async (c) => {
      const { workshopId, snapshotId } = ids((n) => c.req.param(n))
      const { label } = await parseJsonBody(c, RenameSnapshotBodySchema)
      if (!(await store.setSnapshotLabel(workshopId, snapshotId, label ? label : null))) throw notFound('snapshot')
      const plan = await read(workshopId, snapshotId)
      if (!plan) throw notFound('snapshot')
      return c.json({ id: plan.id, label: plan.label })
    })
    .delete('/:id/snapshots/:sid', guards.workshop(), guards.role(canRestore), async (c) => {
      const { workshopId, snapshotId } = ids((n) => c.req.param(n))
      const summary = (await store.listSnapshots(workshopId)).find((s) => s.id === snapshotId)
      if (!summary) throw notFound('snapshot')
      if (!DELETABLE.has(summary.trigger) || summary.label !== null) {
        throw new HttpError(409, 'snapshot_kept', 'manual, named and before-restore snapshots are kept; only unnamed automatic ones can be deleted')
      }
      await store.deleteSnapshot(workshopId, snapshotId)
      return c.body(null, 204)
    })
    .get('/:id/snapshots/:sid/since-last-workshop', guards.workshop(), async (c) => {
      const { workshopId, snapshotId } = ids((n) => c.req.param(n))
      const { role, access } = c.get('workshopAuth')
      // [K6] a guest's link is to this workshop alone: another workshop of the account (a team's
      // preparation, say) is not the guest's to read, not even its title (QA q28c).
      if (role === 'guest') throw new HttpError(403, 'forbidden', 'a guest sees this workshop only, not the account’s other workshops')
      const newer = await read(workshopId, snapshotId)
      const workshop = await store.getWorkshop(workshopId)
      if (!newer || !workshop) throw notFound('snapshot')
      const previous = workshop.accountId ? await previousWorkshopSnapshot(store, workshop.accountId, workshopId, workshop.createdAt, newer.takenAt) : undefined
      if (!previous) throw new HttpError(404, 'no_previous_workshop', 'the account has no earlier workshop with a snapshot')
      const older = await read(previous.workshopId, previous.snapshotId)
      if (!older) throw notFound('snapshot')
      const newerRecord = await recordOf(workshopId, snapshotId)
      const olderRecord = await recordOf(previous.workshopId, previous.snapshotId)
      // [A19] one set of boards for both sides, by this workshop's flags now and both records.
      const visible = snapshotBoardsVisible(role, access.customerFacing, [newerRecord, olderRecord])
      const view = (plan: typeof newer, record: SnapshotAccess | null) => restrictPlan(plan, visible, record)
      const body: SinceLastWorkshop = {
        previous: { ...previous, takenAt: older.takenAt },
        diff: withItemNames(diffPlans(view(newer, newerRecord), view(older, olderRecord)), view(newer, newerRecord), view(older, olderRecord)),
      }
      return c.json(body)
    })
}

/**
 * The latest snapshot taken before `takenAt` (the snapshot viewed: one saved in an earlier workshop
 * afterwards would change what this one changed, after the fact) of the newest workshop of the
 * account created before `createdAt` that has one.
 */
async function previousWorkshopSnapshot(store: Store, accountId: string, workshopId: string, createdAt: string, takenAt: string) {
  const workshops = await store.listAccountWorkshops(accountId)
  const before = Date.parse(takenAt)
  const snapshots = (await store.listAccountSnapshots(accountId)).filter((s) => Date.parse(s.summary.takenAt) < before)
  for (const workshop of workshops) {
    if (workshop.id === workshopId || workshop.createdAt > createdAt) continue
    const latest = snapshots.find((s) => s.workshopId === workshop.id)
    if (latest) return { workshopId: workshop.id, workshopTitle: workshop.title, snapshotId: latest.summary.id }
  }
  return undefined
}
