/**
 * `/api/workshops`: create and list (organisation key), get one (a token of that workshop, or the
 * organisation key), change its time zone (facilitator). Creating returns the four invite links
 * (docs/security.md [A1], [A8]).
 */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import { DEFAULT_LINK_TTL_DAYS } from '../../shared/access.ts'
import {
  CreateWorkshopBodySchema,
  UpdateWorkshopBodySchema,
  WorkshopIdSchema,
  workshopBoards,
  type CreatedWorkshop,
  type Workshop,
  type WorkshopList,
} from '../../shared/api.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { canChangeWorkshopSettings, canSeeBoard, type Role } from '../../shared/roles.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'
import { linkOrigin, workshopLinks } from '../auth/links.ts'
import type { TokenKeys } from '../auth/tokens.ts'
import type { AuthGuards } from '../auth/middleware.ts'
import { newWorkshopAccess, type WorkshopAccess } from '../auth/WorkshopAccess.ts'
import type { Logger } from '../log.ts'
import type { DocumentUpdate, Store, StoredWorkshop } from '../store/Store.ts'
import { HttpError, parseJsonBody } from './errors.ts'

export type WorkshopRoutesDeps = {
  store: Store
  guards: AuthGuards
  tokenKeys: TokenKeys
  /** `PUBLIC_URL`: the origin of invite links; unset, the request's ([A15]). */
  publicUrl?: string | undefined
  log: Logger
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
function templateUpdates(workshopId: string): DocumentUpdate[] {
  return BOARD_IDS.map((board) => ({ docName: syncRoomName(workshopId, board), update: createSeededBoardUpdate(board) }))
}

/** Routes mounted at `/api/workshops`. */
export function workshopRoutes({ store, guards, tokenKeys, publicUrl, log }: WorkshopRoutesDeps): Hono {
  return new Hono()
    .post('/', guards.orgKey, async (c) => {
      const { linkTtlDays, timeZone, ...body } = await parseJsonBody(c, CreateWorkshopBodySchema)
      const stored: StoredWorkshop = { id: newWorkshopId(), ...body, createdAt: new Date().toISOString(), timeZone: timeZone ?? DEFAULT_TIME_ZONE }
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
      const list: WorkshopList = { workshops: (await store.listWorkshops()).map(toWorkshop) }
      return c.json(list)
    })
    .get('/:id', guards.workshop({ acceptOrgKey: true }), async (c) => {
      const { role, access } = c.get('workshopAuth')
      const id = WorkshopIdSchema.safeParse(c.req.param('id'))
      const stored = id.success ? await store.getWorkshop(id.data) : undefined
      if (!stored) throw new HttpError(404, 'not_found', 'no workshop with this id')
      return c.json(workshopFor(stored, role, access))
    })
    .patch('/:id', guards.workshop(), guards.role(canChangeWorkshopSettings), async (c) => {
      const { workshopId, role, access, tokenId } = c.get('workshopAuth')
      const { timeZone } = await parseJsonBody(c, UpdateWorkshopBodySchema)
      const stored = await store.setWorkshopTimeZone(workshopId, timeZone)
      if (!stored) throw new HttpError(404, 'not_found', 'no workshop with this id')
      log.info('workshop.time_zone_changed', { workshop: workshopId, timeZone, by: tokenId })
      return c.json(workshopFor(stored, role, access))
    })
}
