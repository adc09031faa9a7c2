/** `/api/workshops`: create, list (newest first), get one. */
import { randomBytes } from 'node:crypto'
import { Hono } from 'hono'
import {
  CreateWorkshopBodySchema,
  WorkshopIdSchema,
  workshopBoards,
  type Workshop,
  type WorkshopList,
} from '../../shared/api.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import { syncRoomName } from '../../shared/protocol.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import type { DocumentUpdate, Store, StoredWorkshop } from '../store/Store.ts'
import { HttpError, parseJsonBody } from './errors.ts'

/** A new workshop id: 16 URL-safe random characters (96 bits). */
export function newWorkshopId(): string {
  return randomBytes(12).toString('base64url')
}

function toWorkshop(stored: StoredWorkshop): Workshop {
  return { ...stored, boards: workshopBoards() }
}

/**
 * Board templates are seeded here, server-side, when the workshop is created: two people opening
 * an empty board at the same moment can never both add the SWOT quadrants ([S21]).
 */
function templateUpdates(workshopId: string): DocumentUpdate[] {
  return BOARD_IDS.map((board) => ({ docName: syncRoomName(workshopId, board), update: createSeededBoardUpdate(board) }))
}

/** Routes mounted at `/api/workshops`. */
export function workshopRoutes(store: Store): Hono {
  return new Hono()
    .post('/', async (c) => {
      const body = await parseJsonBody(c, CreateWorkshopBodySchema)
      const stored: StoredWorkshop = { id: newWorkshopId(), ...body, createdAt: new Date().toISOString() }
      await store.createWorkshop(stored, templateUpdates(stored.id))
      return c.json(toWorkshop(stored), 201)
    })
    .get('/', async (c) => {
      const list: WorkshopList = { workshops: (await store.listWorkshops()).map(toWorkshop) }
      return c.json(list)
    })
    .get('/:id', async (c) => {
      const id = WorkshopIdSchema.safeParse(c.req.param('id'))
      const stored = id.success ? await store.getWorkshop(id.data) : undefined
      if (!stored) throw new HttpError(404, 'not_found', 'no workshop with this id')
      return c.json(toWorkshop(stored))
    })
}
