/**
 * `/api/accounts` (issue 16, docs/accounts.md): every route needs the organisation key ([K4]).
 * - `POST /` create, `GET /` the portfolio (archived ones with `?archived=true`), `GET /:id`,
 *   `PATCH /:id` (fields, `archived`);
 * - `GET /:id/workshops`, `POST /:id/workshops` a new workshop, blank or from the last plan ([K7]);
 * - `GET /:id/plan` the current plan (latest snapshot across its workshops, [K6]);
 * - `GET /:id/snapshots` the timeline across workshops, collapsed ([K8]);
 * - `GET /:id/diff?newer=&older=` the field-level diff of any two of its snapshots ([K6]).
 */
import * as Y from 'yjs'
import { Hono } from 'hono'
import { z } from 'zod'
import {
  AccountIdSchema,
  AccountListQuerySchema,
  AccountProfileSchema,
  CreateAccountBodySchema,
  CreateAccountWorkshopBodySchema,
  SelectionCriteriaSchema,
  UpdateAccountBodySchema,
  accountSelection,
  type Account,
  type AccountList,
  type AccountOverview,
  type AccountTimeline,
  type LatestPlan,
} from '../../shared/accounts.ts'
import { DEFAULT_LINK_TTL_DAYS } from '../../shared/access.ts'
import { workshopBoards, type CreatedWorkshop } from '../../shared/api.ts'
import { BOARD_IDS, type BoardId } from '../../shared/boards.ts'
import { diffPlans, withItemNames } from '../../shared/planDiff.ts'
import type { CustomerFacing } from '../../shared/roles.ts'
import { overridesOf, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { SnapshotIdSchema } from '../../shared/snapshotApi.ts'
import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'
import { linkOrigin, workshopLinks } from '../auth/links.ts'
import type { AuthGuards } from '../auth/middleware.ts'
import type { TokenKeys } from '../auth/tokens.ts'
import { newWorkshopAccess } from '../auth/WorkshopAccess.ts'
import type { Logger } from '../log.ts'
import { docFromUpdates } from '../snapshot/boardDocs.ts'
import { carriedBoards } from '../snapshot/carryForward.ts'
import { snapshotInternalState, withInternalPart } from '../snapshot/snapshotAccess.ts'
import { collapseTimeline } from '../snapshot/collapseTimeline.ts'
import { AccountNameTakenError, CorruptRecordError, type AccountChanges, type Store, type StoredAccount, type StoredWorkshop } from '../store/Store.ts'
import { HttpError, parseJsonBody, parseWith } from './errors.ts'
import { newWorkshopId, templateUpdates } from './workshops.ts'

export type AccountRoutesDeps = {
  store: Store
  guards: Pick<AuthGuards, 'orgKey'>
  tokenKeys: TokenKeys
  publicUrl?: string | undefined
  log: Logger
  /** [C13] A workshop's details changed (its account was renamed): its open pages read it again. */
  onWorkshopChanged?: (workshopId: string) => void
}

const DiffQuerySchema = z.object({ newer: SnapshotIdSchema, older: SnapshotIdSchema })

const notFound = (what: string) => new HttpError(404, 'not_found', `no ${what} with this id`)
const nameTaken = (error: AccountNameTakenError) => new HttpError(409, 'account_exists', error.message)

function toAccount(stored: StoredAccount): Account {
  return { ...stored }
}

/** Routes mounted at `/api/accounts`. */
export function accountRoutes({ store, guards, tokenKeys, publicUrl, log, onWorkshopChanged }: AccountRoutesDeps): Hono {
  const requireAccount = async (raw: string | undefined): Promise<StoredAccount> => {
    const id = parseWith(AccountIdSchema, raw, 'invalid_param')
    const account = await store.getAccount(id)
    if (!account) throw notFound('account')
    return account
  }

  /** The plan a snapshot of the account holds; 404 when the snapshot is not one of the account's. */
  const accountPlan = async (accountId: string, snapshotId: string) => {
    const found = (await store.listAccountSnapshots(accountId)).find((s) => s.summary.id === snapshotId)
    const plan = found ? await readPlan(store, found.workshopId, snapshotId) : undefined
    if (!found || !plan) throw notFound('snapshot of this account')
    return { workshopId: found.workshopId, plan }
  }

  const overview = async (account: StoredAccount): Promise<AccountOverview> => {
    const workshops = await store.listAccountWorkshops(account.id)
    const latest = (await store.listAccountSnapshots(account.id))[0]
    const workshop = latest ? workshops.find((w) => w.id === latest.workshopId) : undefined
    const plan = latest ? await readPlan(store, latest.workshopId, latest.summary.id).catch(() => undefined) : undefined
    const latestPlan: LatestPlan | null =
      latest && workshop
        ? {
            workshopId: workshop.id,
            workshopTitle: workshop.title,
            summary: latest.summary,
            health: healthOf(plan),
            openActions: plan?.actions.filter((a) => a.status !== 'done').length ?? 0,
            overdueActions: plan?.actions.filter((a) => a.overdue).length ?? 0,
            objectivesAtRisk: objectivesAtRisk(plan),
          }
        : null
    return {
      ...toAccount(account),
      selection: accountSelection(account.tier, account.criteria),
      workshops: workshops.length,
      lastWorkshopAt: workshops[0]?.createdAt ?? null,
      latestPlan,
    }
  }

  return new Hono()
    .use('*', guards.orgKey)
    .post('/', async (c) => {
      const { criteria, ...body } = await parseJsonBody(c, CreateAccountBodySchema)
      const stored: StoredAccount = {
        id: newWorkshopId(),
        createdAt: new Date().toISOString(),
        ...AccountProfileSchema.parse({ ...body, criteria: SelectionCriteriaSchema.parse(criteria ?? {}) }),
        name: body.name,
      }
      try {
        await store.createAccount(stored)
      } catch (error) {
        if (error instanceof AccountNameTakenError) throw nameTaken(error)
        throw error
      }
      log.info('account.created', { account: stored.id })
      return c.json(toAccount(stored), 201)
    })
    .get('/', async (c) => {
      const archived = parseWith(AccountListQuerySchema, c.req.query(), 'invalid_query').archived === 'true'
      const accounts = (await store.listAccounts()).filter((a) => (a.archivedAt !== undefined) === archived)
      const body: AccountList = { accounts: await Promise.all(accounts.map(overview)) }
      return c.json(body)
    })
    .get('/:id', async (c) => c.json(await overview(await requireAccount(c.req.param('id')))))
    .patch('/:id', async (c) => {
      const before = await requireAccount(c.req.param('id'))
      const { archived, criteria, ...fields } = await parseJsonBody(c, UpdateAccountBodySchema)
      const changes: AccountChanges = {
        ...Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)),
        ...(criteria ? { criteria: { ...before.criteria, ...Object.fromEntries(Object.entries(criteria).filter(([, v]) => v !== undefined)) } } : {}),
        ...(archived !== undefined && archived !== (before.archivedAt !== undefined) ? { archivedAt: archived ? new Date().toISOString() : null } : {}),
      }
      let stored: StoredAccount | undefined
      try {
        stored = await store.updateAccount(before.id, changes)
      } catch (error) {
        if (error instanceof AccountNameTakenError) throw nameTaken(error)
        throw error
      }
      if (!stored) throw notFound('account')
      log.info('account.changed', { account: before.id, fields: Object.keys(changes).join(',') })
      // The new name is its workshops' account name too: their open pages show it at once.
      if (changes.name !== undefined && changes.name !== before.name && onWorkshopChanged) {
        for (const workshop of await store.listAccountWorkshops(before.id)) onWorkshopChanged(workshop.id)
      }
      return c.json(await overview(stored))
    })
    .get('/:id/workshops', async (c) => {
      const account = await requireAccount(c.req.param('id'))
      const workshops = await store.listAccountWorkshops(account.id)
      return c.json({ workshops: workshops.map((w) => ({ ...w, boards: workshopBoards() })) })
    })
    .post('/:id/workshops', async (c) => {
      const account = await requireAccount(c.req.param('id'))
      const body = await parseJsonBody(c, CreateAccountWorkshopBodySchema)
      if (account.archivedAt !== undefined) throw new HttpError(409, 'account_archived', 'the account is archived; unarchive it first')
      const id = newWorkshopId()
      let updates = templateUpdates(id)
      let carriedFrom: string | null = null
      // The fields the carried plan kept internal stay so ([A36]; QA q27c: carried into a workshop at
      // the defaults, a field the team had made internal reached the customer again).
      let carriedSensitivity: SensitivityOverrides | undefined
      let carriedCustomerFacing: CustomerFacing | undefined
      const defaults = newWorkshopAccess((body.linkTtlDays ?? DEFAULT_LINK_TTL_DAYS) * 24 * 60 * 60)
      if (body.start === 'last_plan') {
        const latest = (await store.listAccountSnapshots(account.id))[0]
        if (!latest) throw new HttpError(409, 'no_plan', 'the account has no snapshot to start from yet')
        const states: Partial<Record<BoardId, Uint8Array>> = {}
        // Issue 13: with the internal part; the new boards' rooms move it out of the shared document on load ([A35]).
        const recorded = (await store.getSnapshotAccess(latest.workshopId, latest.summary.id)) ?? null
        for (const board of BOARD_IDS) {
          const state = await store.getSnapshotBoard(latest.workshopId, latest.summary.id, board)
          if (!state) continue
          const doc = withInternalPart(docFromUpdates([state]), recorded, await snapshotInternalState(store, latest.workshopId, latest.summary.id, board, recorded))
          states[board] = Y.encodeStateAsUpdate(doc)
          doc.destroy()
        }
        const carried = carriedBoards(id, states, { dropDoneActions: body.dropDoneActions })
        updates = carried.updates
        carriedFrom = latest.summary.id
        // Only what differs from the defaults (the record holds every field): later defaults still apply to the rest.
        carriedSensitivity = recorded?.sensitivity ? overridesOf(recorded.sensitivity) : undefined
        // A board starts customer-facing only if it is by default and was when the plan was taken
        // (review: the action plan, customer-facing by default, brought internal actions to the guest).
        carriedCustomerFacing = Object.fromEntries(BOARD_IDS.map((board) => [board, defaults.customerFacing[board] && recorded?.customerFacing?.[board] === true])) as CustomerFacing // one flag per board
        log.info('workshop.carried_forward', { workshop: id, from: carriedFrom, skipped: carried.skipped, dropped: carried.dropped })
      }
      const stored: StoredWorkshop = {
        id,
        account: account.name,
        accountId: account.id,
        title: body.title,
        createdAt: new Date().toISOString(),
        // Not given: the account's last workshop's zone (its dates, overdue actions included, stay as they were).
        timeZone: body.timeZone ?? (await store.listAccountWorkshops(account.id))[0]?.timeZone ?? DEFAULT_TIME_ZONE,
      }
      const access = { ...defaults, ...(carriedCustomerFacing ? { customerFacing: carriedCustomerFacing } : {}), ...(carriedSensitivity ? { sensitivity: carriedSensitivity } : {}) }
      await store.createWorkshop(stored, updates, access)
      const { accountId: _accountId, ...workshop } = stored
      const created: CreatedWorkshop & { carriedFrom: string | null } = {
        ...workshop,
        boards: workshopBoards(),
        links: await workshopLinks(tokenKeys, linkOrigin(publicUrl, c.req.url), id, access),
        carriedFrom,
      }
      // [A11] the links are credentials.
      c.header('Cache-Control', 'no-store')
      return c.json(created, 201)
    })
    .get('/:id/plan', async (c) => {
      const account = await requireAccount(c.req.param('id'))
      const latest = (await store.listAccountSnapshots(account.id))[0]
      if (!latest) throw new HttpError(404, 'no_plan', 'the account has no snapshot yet')
      const plan = await readPlan(store, latest.workshopId, latest.summary.id)
      if (!plan) throw notFound('snapshot')
      return c.json(plan)
    })
    .get('/:id/snapshots', async (c) => {
      const account = await requireAccount(c.req.param('id'))
      const titles = new Map((await store.listAccountWorkshops(account.id)).map((w) => [w.id, w.title]))
      const entries = await collapseTimeline(await store.listAccountSnapshots(account.id), (s) => readPlan(store, s.workshopId, s.summary.id))
      const body: AccountTimeline = { entries: entries.map((e) => ({ ...e, workshopTitle: titles.get(e.workshopId) ?? '' })) }
      return c.json(body)
    })
    .get('/:id/diff', async (c) => {
      const account = await requireAccount(c.req.param('id'))
      const { newer, older } = parseWith(DiffQuerySchema, c.req.query(), 'invalid_query')
      const a = await accountPlan(account.id, newer)
      const b = await accountPlan(account.id, older)
      // Organisation-key holders see every board ([K4]): the full records are compared.
      // Named: the page compares two plans it does not hold ([K6]).
      return c.json(withItemNames(diffPlans(a.plan, b.plan), a.plan, b.plan))
    })
}

/** A stored plan; undefined when unknown; 500 `corrupt_snapshot` when it fails validation ([S18]). */
async function readPlan(store: Store, workshopId: string, snapshotId: string) {
  try {
    return await store.getSnapshot(workshopId, snapshotId)
  } catch (error) {
    if (error instanceof CorruptRecordError) throw new HttpError(500, 'corrupt_snapshot', 'this snapshot is damaged and cannot be read')
    throw error
  }
}

/**
 * The plan's health score (issue 10) when its record carries one (`health` as a number or as
 * `{ score }`); null for plans without.
 */
export function healthOf(plan: object | undefined): number | null {
  const health: unknown = plan && 'health' in plan ? plan.health : undefined
  if (typeof health === 'number') return health
  if (typeof health === 'object' && health !== null && 'score' in health && typeof health.score === 'number') return health.score
  return null
}

/**
 * Objectives at risk (issue 10's objectives board) when the plan record has objectives: those
 * whose `status` is `at_risk` or `off_track`; null for plans without.
 */
function objectivesAtRisk(plan: object | undefined): number | null {
  const objectives: unknown = plan && 'objectives' in plan ? plan.objectives : undefined
  if (!Array.isArray(objectives)) return null
  return objectives.filter((o: unknown) => typeof o === 'object' && o !== null && 'status' in o && (o.status === 'at_risk' || o.status === 'off_track')).length
}
