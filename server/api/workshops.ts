/**
 * `/api/workshops`: create and list (organisation key; archived workshops only with
 * `?archived=true`), get one (a token of that workshop, or the organisation key), rename it, its
 * account, change its time zone, archive or unarchive it (`PATCH`, facilitator), delete it for
 * good (`DELETE`, facilitator). Creating returns the four invite links (docs/security.md [A1],
 * [A8], [A21]).
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { DEFAULT_LINK_TTL_DAYS } from '../../shared/access.ts'
import {
  CreateWorkshopBodySchema,
  UpdateWorkshopBodySchema,
  AccountNameQuerySchema,
  type AccountNameMatch,
  WorkshopIdSchema,
  WorkshopListQuerySchema,
  workshopBoards,
  type CreatedWorkshop,
  type Workshop,
  type WorkshopList,
} from '../../shared/api.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import { CLOSE_CODES, syncRoomName } from '../../shared/protocol.ts'
import { canChangeWorkshopSettings, canDeleteWorkshop, canSeeBoard, type Role } from '../../shared/roles.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'
import { linkOrigin, workshopLinks } from '../auth/links.ts'
import type { TokenKeys } from '../auth/tokens.ts'
import type { AuthGuards } from '../auth/middleware.ts'
import type { SessionRegistry } from '../auth/SessionRegistry.ts'
import { newWorkshopAccess, type WorkshopAccess } from '../auth/WorkshopAccess.ts'
import type { Logger } from '../log.ts'
import type { DocumentUpdate, Store, StoredWorkshop, WorkshopChanges } from '../store/Store.ts'
import { HttpError, parseJsonBody, parseWith } from './errors.ts'
import type { WorkshopRemoval } from './WorkshopRemoval.ts'

export type WorkshopRoutesDeps = {
  store: Store
  guards: AuthGuards
  tokenKeys: TokenKeys
  /** `PUBLIC_URL`: the origin of invite links; unset, the request's ([A15]). */
  publicUrl?: string | undefined
  log: Logger
  /** Open sync sessions: closed when the workshop is archived or unarchived, to reconnect with the new rights. */
  sessions: SessionRegistry
  removal: WorkshopRemoval
  /** Told once an archive or unarchive is stored and applied here, for the other instances ([A24]). */
  onArchivedChanged?: (workshopId: string, archived: boolean) => void
  /** Told once any change of the workshop is stored (renamed, …): its open pages read it again ([C13]). */
  onChanged?: (workshopId: string) => void
}

/** A new workshop id: 16 URL-safe random characters (96 bits). */
export function newWorkshopId(): string {
  return randomBytes(12).toString('base64url')
}

function toWorkshop(stored: StoredWorkshop): Workshop {
  return { ...stored, boards: workshopBoards() }
}

/** The workshop as `role` may see it: [A6] a guest's switcher lists only the boards it may open. */
function workshopFor(stored: StoredWorkshop, role: Role, access: WorkshopAccess): Workshop {
  const workshop = toWorkshop(stored)
  return { ...workshop, boards: workshop.boards.filter((b) => canSeeBoard(role, b.id, access.customerFacing)) }
}

/**
 * Board templates are seeded here, server-side, when the workshop is created: two people opening
 * an empty board at the same moment can never both add the SWOT quadrants ([S21]).
 */
export function templateUpdates(workshopId: string): DocumentUpdate[] {
  return BOARD_IDS.map((board) => ({ docName: syncRoomName(workshopId, board), update: createSeededBoardUpdate(board) }))
}

/**
 * The account name a workshop filed under `name` carries: the existing account's own spelling
 * when one matches (QA q27c: "acme  rail" was filed under Acme Rail but kept its own spelling in
 * the header and every export), else `name`. docs/accounts.md: an archived account takes no new
 * workshop, neither created under its name nor moved to it by a rename (the workshop's own
 * account, `current`, is not refused).
 */
async function accountNameFor(store: Store, name: string, current?: string): Promise<string> {
  const account = await store.findAccountByName(name)
  if (account?.archivedAt !== undefined && account.id !== current) {
    throw new HttpError(409, 'account_archived', `the account ${account.name} is archived; unarchive it in the portfolio first`)
  }
  return account?.name ?? name
}

/** Routes mounted at `/api/workshops`. */
export function workshopRoutes({ store, guards, tokenKeys, publicUrl, log, sessions, removal, onArchivedChanged, onChanged }: WorkshopRoutesDeps): Hono {
  return new Hono()
    .post('/', guards.orgKey, async (c) => {
      const { linkTtlDays, timeZone, ...body } = await parseJsonBody(c, CreateWorkshopBodySchema)
      const account = await accountNameFor(store, body.account)
      const stored: StoredWorkshop = { id: newWorkshopId(), ...body, account, createdAt: new Date().toISOString(), timeZone: timeZone ?? DEFAULT_TIME_ZONE }
      const access = newWorkshopAccess((linkTtlDays ?? DEFAULT_LINK_TTL_DAYS) * 24 * 60 * 60)
      await store.createWorkshop(stored, templateUpdates(stored.id), access)
      const created: CreatedWorkshop = {
        ...toWorkshop(stored),
        links: await workshopLinks(tokenKeys, linkOrigin(publicUrl, c.req.url), stored.id, access),
      }
      // [A11] the links are credentials.
      c.header('Cache-Control', 'no-store')
      return c.json(created, 201)
    })
    .get('/', guards.orgKey, async (c) => {
      const archived = parseWith(WorkshopListQuerySchema, c.req.query(), 'invalid_query').archived === 'true'
      const stored = (await store.listWorkshops()).filter((w) => (w.archivedAt !== undefined) === archived)
      const list: WorkshopList = { workshops: stored.map(toWorkshop) }
      return c.json(list)
    })
    .get('/:id', guards.workshop({ acceptOrgKey: true }), async (c) => {
      const { role, access } = c.get('workshopAuth')
      const id = WorkshopIdSchema.safeParse(c.req.param('id'))
      const stored = id.success ? await store.getWorkshop(id.data) : undefined
      if (!stored) throw new HttpError(404, 'not_found', 'no workshop with this id')
      return c.json(workshopFor(stored, role, access))
    })
    // The account a rename to `name` would file the workshop under, before it is confirmed (QA q35b:
    // a typo silently made a new account, which can only be archived, never deleted).
    .get('/:id/account-name', guards.workshop(), guards.role(canChangeWorkshopSettings), async (c) => {
      const { name } = parseWith(AccountNameQuerySchema, c.req.query(), 'invalid_query')
      const account = await store.findAccountByName(name)
      const match: AccountNameMatch = account ? { name: account.name, exists: true, archived: account.archivedAt !== undefined } : { name, exists: false, archived: false }
      return c.json(match)
    })
    .patch('/:id', guards.workshop(), guards.role(canChangeWorkshopSettings), async (c) => {
      const { workshopId, role, access, tokenId } = c.get('workshopAuth')
      const { archived, ...fields } = await parseJsonBody(c, UpdateWorkshopBodySchema)
      const before = await store.getWorkshop(workshopId)
      if (!before) throw new HttpError(404, 'not_found', 'no workshop with this id')
      const archiving = archived !== undefined && archived !== (before.archivedAt !== undefined)
      const account = fields.account === undefined ? {} : { account: await accountNameFor(store, fields.account, before.accountId) }
      const changes: WorkshopChanges = { ...fields, ...account, ...(archiving ? { archivedAt: archived ? new Date().toISOString() : null } : {}) }
      const stored = await store.updateWorkshop(workshopId, changes)
      if (!stored) throw new HttpError(404, 'not_found', 'no workshop with this id')
      if (archiving) {
        // [A21] open connections come back with the new rights (read-only while archived).
        sessions.bump(workshopId)
        sessions.closeWhere(workshopId, () => true, CLOSE_CODES.tryAgainLater, archived ? 'workshop archived, reconnect' : 'workshop unarchived, reconnect')
        onArchivedChanged?.(workshopId, archived === true)
      }
      onChanged?.(workshopId)
      log.info('workshop.changed', { workshop: workshopId, fields: Object.keys(changes).join(','), by: tokenId })
      return c.json(workshopFor(stored, role, access))
    })
    .delete('/:id', guards.workshop(), guards.role(canDeleteWorkshop), async (c) => {
      const { workshopId, tokenId } = c.get('workshopAuth')
      if (!(await removal.remove(workshopId))) throw new HttpError(404, 'not_found', 'no workshop with this id')
      log.info('workshop.delete_requested', { workshop: workshopId, by: tokenId })
      return c.body(null, 204)
    })
}
