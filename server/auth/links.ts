/**
 * Invite links: one URL of the client per role, `<origin>/w/<workshopId>?token=<token>`
 * (`docs/security.md` [A1]). A link names the workshop, not a board: the page opens the first
 * board the role may see when it is opened (the SWOT for the account team, the first
 * customer-facing board for a guest), so a link stays right when boards are shared or unshared.
 * Tokens are stateless, so links can be minted again at any time; each carries the role's current
 * generation and expires `linkTtlSeconds` after minting.
 */
import type { WorkshopLinks } from '../../shared/access.ts'
import { ROLES, type Role } from '../../shared/roles.ts'
import { newClaims, signToken, type TokenKeys } from './tokens.ts'
import type { WorkshopAccess } from './WorkshopAccess.ts'

/**
 * The origin links are minted on: `PUBLIC_URL` when set ([A15]), else the request's own origin,
 * which behind a TLS-terminating proxy is its upstream (`http://internal:8787`), not what users reach.
 */
export function linkOrigin(publicUrl: string | undefined, requestUrl: string): string {
  return publicUrl ?? new URL(requestUrl).origin
}

/**
 * Mints the four links of a workshop.
 *
 * @example `await workshopLinks(keys, 'https://keyplan.example', workshop.id, access)`
 */
export async function workshopLinks(
  keys: TokenKeys,
  origin: string,
  workshopId: string,
  access: WorkshopAccess,
  nowMs: number = Date.now(),
): Promise<WorkshopLinks> {
  const link = async (role: Role) => {
    const claims = newClaims({ workshopId, role, gen: access.generations[role], ttlSeconds: access.linkTtlSeconds, nowMs })
    const url = new URL(`/w/${encodeURIComponent(workshopId)}`, origin)
    url.searchParams.set('token', await signToken(keys, claims))
    return [role, url.toString()] as const
  }
  return Object.fromEntries(await Promise.all(ROLES.map(link))) as WorkshopLinks // one entry per role, built from ROLES
}
