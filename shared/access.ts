/**
 * Shapes of the access API (invite links, revocation, board settings), shared by the server
 * (validation) and the client (parsing). The rules behind them are in `docs/security.md`.
 *
 * @example
 * ```ts
 * // Facilitator: revoke every guest link and get the new ones.
 * const { links } = WorkshopLinksResponseSchema.parse(
 *   await (await fetch(`/api/workshops/${id}/links/revoke`, { method: 'POST', headers, body: JSON.stringify({ role: 'guest' }) })).json(),
 * )
 * ```
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { BoardIdSchema } from './boards.ts'
import { RoleSchema } from './roles.ts'

/** Lifetime of invite links when the creator does not choose one, in days. */
export const DEFAULT_LINK_TTL_DAYS = 30
/** Longest lifetime of invite links, in days. */
export const MAX_LINK_TTL_DAYS = 365

/** What {@link LinkTtlDaysSchema} says of any other value: the allowed range, whatever was wrong. */
const LINK_TTL_DAYS_RULE = `a whole number of days from 1 to ${MAX_LINK_TTL_DAYS}`

/** How long a workshop's invite links stay valid, chosen at creation. */
export const LinkTtlDaysSchema = lazySchema(() =>
  z
    .number({ error: LINK_TTL_DAYS_RULE })
    .int({ error: LINK_TTL_DAYS_RULE })
    .min(1, { error: LINK_TTL_DAYS_RULE })
    .max(MAX_LINK_TTL_DAYS, { error: LINK_TTL_DAYS_RULE }),
)

/**
 * One invite link per role: a URL of the client naming the workshop (`/w/<workshopId>?token=…`);
 * the page opens the first board the role may see (a guest's: a customer-facing one).
 */
export const WorkshopLinksSchema = lazySchema(() => z.object({
  facilitator: z.url(),
  team: z.url(),
  viewer: z.url(),
  guest: z.url(),
}))
export type WorkshopLinks = z.infer<typeof WorkshopLinksSchema>

/** Body of `GET /api/workshops/:id/links` and `POST /api/workshops/:id/links/revoke`. */
export const WorkshopLinksResponseSchema = lazySchema(() => z.object({ links: WorkshopLinksSchema }))
export type WorkshopLinksResponse = z.infer<typeof WorkshopLinksResponseSchema>

/**
 * Body of `POST /api/workshops/:id/links/revoke` (facilitator): every link of `role` stops
 * working, its open connections are closed, and new links are returned.
 *
 * @example `{ "role": "guest" }`
 */
export const RevokeLinksBodySchema = lazySchema(() => z.object({ role: RoleSchema }))
export type RevokeLinksBody = z.infer<typeof RevokeLinksBodySchema>

/**
 * What the bearer of a workshop token may do there, from `GET /api/workshops/:id/access`: the
 * role, the boards it may open (in switcher order) and which of those are read-only for it.
 */
export const WorkshopAccessViewSchema = lazySchema(() => z.object({
  role: RoleSchema,
  boards: z.array(z.object({ id: BoardIdSchema, readOnly: z.boolean() })),
}))
export type WorkshopAccessView = z.infer<typeof WorkshopAccessViewSchema>
