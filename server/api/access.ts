/**
 * Access routes under `/api/workshops/:id` (`docs/security.md` [A4]–[A6], [A11]):
 * - `GET  /access`: the caller's role and the boards it may open, all read-only while the workshop
 *   is archived (any role);
 * - `GET  /links`: the four invite links (facilitator, or the organisation key);
 * - `POST /links/revoke` `{ role }`: revokes every link of a role, closes its open connections at
 *   once with 4401, and returns new links (facilitator);
 * - `GET  /settings`: which boards are customer-facing (any role);
 * - `PUT  /settings`: changes that (facilitator); guests connected to a board that became internal
 *   are closed at once with 4403.
 * - `GET  /sensitivity`: which card fields and relationship lines are internal (every role: the
 *   names, never a value; a guest's page leaves those fields out, [A35]);
 * - `PUT  /sensitivity` `{ fields }`: changes that for the fields named, the others as they are
 *   (facilitator); every board's values move between
 *   its shared and internal documents before the answer ([A35]), so connected guests see a field
 *   appear or disappear at once. With Redis (several instances), 503 `sensitivity_not_announced`
 *   when the other instances could not be told of the change first: nothing was stored
 *   (docs/server-rules.md [S40]).
 * Responses carrying links are `Cache-Control: no-store`.
 */
import { Hono } from 'hono'
import { RevokeLinksBodySchema, type WorkshopAccessView, type WorkshopLinksResponse } from '../../shared/access.ts'
import { CLOSE_CODES, TOKEN_REFUSED } from '../../shared/protocol.ts'
import {
  BoardSettingsChangeSchema,
  canChangeBoardSettings,
  canEditBoard,
  canManageLinks,
  visibleBoards,
  type BoardSettings,
  type Role,
} from '../../shared/roles.ts'
import { SensitivityBodySchema, resolveSensitivity, type Sensitivity } from '../../shared/sensitivity.ts'
import { linkOrigin, workshopLinks } from '../auth/links.ts'
import type { TokenKeys } from '../auth/tokens.ts'
import type { AuthGuards, AuthVariables } from '../auth/middleware.ts'
import type { SessionRegistry } from '../auth/SessionRegistry.ts'
import type { AccessStore } from '../auth/WorkshopAccess.ts'
import type { Logger } from '../log.ts'
import type { Store } from '../store/Store.ts'
import { HttpError, parseJsonBody } from './errors.ts'

/** [S40] The 503's message: the facilitator's page shows it as it is. */
const SENSITIVITY_NOT_ANNOUNCED =
  'The change was not applied: the other Keyplan servers could not be told of it. Nothing changed; try again in a moment.'

export type AccessRoutesDeps = {
  guards: AuthGuards
  access: AccessStore
  /** Workshop rows: an archived workshop is read-only for every role ([A21]). */
  workshops: Pick<Store, 'getWorkshop'>
  tokenKeys: TokenKeys
  /** `PUBLIC_URL`: the origin of invite links; unset, the request's ([A15]). */
  publicUrl?: string | undefined
  sessions: SessionRegistry
  log: Logger
  /** Told once board settings are stored, to push them to connected pages (room control, [C5]). */
  onSettingsChanged?: (workshopId: string, customerFacing: BoardSettings['customerFacing']) => void
  /** Told once a role's links are revoked, to close its room-control connections. */
  onRevoked?: (workshopId: string, role: Role) => void
  /**
   * docs/server-rules.md [S40]: told a change of field sensitivities' generation once it is
   * written and before it commits, so that the other instances learn of it no later than it takes
   * effect. Rejects when they could not be told: the change rolls back.
   */
  announceSensitivity?: (workshopId: string, generation: number) => Promise<void>
  /** Told once field sensitivities are stored; resolves when every board's values have moved ([A35]). */
  onSensitivityChanged?: (workshopId: string, sensitivity: Sensitivity, generation: number) => Promise<void>
}

/** Routes mounted at `/api/workshops` (they all live under `/:id`). */
export function accessRoutes(deps: AccessRoutesDeps): Hono<{ Variables: AuthVariables }> {
  const { guards } = deps
  return new Hono<{ Variables: AuthVariables }>()
    .get('/:id/access', guards.workshop(), async (c) => {
      const { workshopId, role, access } = c.get('workshopAuth')
      const archived = (await deps.workshops.getWorkshop(workshopId))?.archivedAt !== undefined
      const view: WorkshopAccessView = {
        role,
        boards: visibleBoards(role, access.customerFacing).map((id) => ({
          id,
          readOnly: archived || !canEditBoard(role, id, access.customerFacing),
        })),
      }
      return c.json(view)
    })
    .get('/:id/links', guards.workshop({ acceptOrgKey: true }), guards.role(canManageLinks), async (c) => {
      const { workshopId, access } = c.get('workshopAuth')
      const body: WorkshopLinksResponse = { links: await workshopLinks(deps.tokenKeys, linkOrigin(deps.publicUrl, c.req.url), workshopId, access) }
      c.header('Cache-Control', 'no-store')
      return c.json(body)
    })
    .post('/:id/links/revoke', guards.workshop(), guards.role(canManageLinks), async (c) => {
      const { workshopId, access, tokenId } = c.get('workshopAuth')
      const { role } = await parseJsonBody(c, RevokeLinksBodySchema)
      const generations = await deps.access.bumpGeneration(workshopId, role)
      // [A4] stored first, then the epoch, then the close: see SessionRegistry.
      deps.sessions.bump(workshopId)
      const closed = deps.sessions.closeWhere(workshopId, (s) => s.role === role, CLOSE_CODES.unauthorized, TOKEN_REFUSED.revoked)
      deps.onRevoked?.(workshopId, role)
      deps.log.info('access.revoked', { workshop: workshopId, role, closed, by: tokenId })
      const links = await workshopLinks(deps.tokenKeys, linkOrigin(deps.publicUrl, c.req.url), workshopId, { ...access, generations })
      c.header('Cache-Control', 'no-store')
      return c.json({ links } satisfies WorkshopLinksResponse)
    })
    .get('/:id/settings', guards.workshop(), (c) => {
      const body: BoardSettings = { customerFacing: c.get('workshopAuth').access.customerFacing }
      return c.json(body)
    })
    .put('/:id/settings', guards.workshop(), guards.role(canChangeBoardSettings), async (c) => {
      const { workshopId, tokenId } = c.get('workshopAuth')
      // The boards named; the others keep their setting (a panel opened before another's change
      // does not undo it by sending what it loaded).
      const { customerFacing: changes } = await parseJsonBody(c, BoardSettingsChangeSchema)
      const customerFacing = await deps.access.setCustomerFacing(workshopId, changes)
      deps.sessions.bump(workshopId)
      // [A6] guests on a board that just became internal lose it now, not at their next reconnect.
      const closed = deps.sessions.closeHidden(workshopId, customerFacing)
      deps.onSettingsChanged?.(workshopId, customerFacing)
      deps.log.info('access.settings_changed', { workshop: workshopId, closed, by: tokenId })
      return c.json({ customerFacing } satisfies BoardSettings)
    })
    .get('/:id/sensitivity', guards.workshop(), (c) => {
      const overrides = c.get('workshopAuth').access.sensitivity ?? {}
      return c.json({ fields: overrides, sensitivity: resolveSensitivity(overrides) })
    })
    .put('/:id/sensitivity', guards.workshop(), guards.role(canChangeBoardSettings), async (c) => {
      const { workshopId, tokenId } = c.get('workshopAuth')
      const { fields } = await parseJsonBody(c, SensitivityBodySchema)
      const announce = deps.announceSensitivity
      const announced =
        announce &&
        (async (generation: number) => {
          try {
            await announce(workshopId, generation)
          } catch (error) {
            // [S40] Thrown inside the change's transaction: it rolls back, and nothing else follows
            // (no event, no moves, no sessions closed). Committed unannounced, rows published after
            // it would reach instances that have not heard of it as if nothing had changed.
            deps.log.warn('access.sensitivity_not_announced', { workshop: workshopId, by: tokenId, error: String(error) })
            throw new HttpError(503, 'sensitivity_not_announced', SENSITIVITY_NOT_ANNOUNCED)
          }
        })
      // The fields named; the others keep their sensitivity (a panel opened before another's change
      // does not undo it by sending what it loaded, QA q36a).
      const changed = await deps.access.setSensitivity(workshopId, fields, announced)
      const sensitivity = resolveSensitivity(changed.sensitivity)
      await deps.onSensitivityChanged?.(workshopId, sensitivity, changed.generation)
      deps.log.info('access.sensitivity_changed', { workshop: workshopId, by: tokenId })
      return c.json({ fields: changed.sensitivity, sensitivity })
    })
}
