/**
 * Admission of a room-control websocket (`/control/<workshopId>?token=…&user=…&name=…`): the same
 * token checks as a sync connection (docs/security.md [A1]–[A4], [A10]: a token of this workshop,
 * unexpired, not revoked; failed checks count towards the address's limit), plus a well-formed
 * user id and display name. No board is named, so no board check: what the connection may learn of
 * boards is filtered per message by the hub.
 */
import { ControlUserIdSchema, DisplayNameSchema, CONTROL_PATH } from '../../shared/control.ts'
import { CLOSE_CODES, type CloseCode } from '../../shared/protocol.ts'
import type { Role } from '../../shared/roles.ts'
import { checkWorkshopToken, type TokenCheckDeps } from '../auth/checkWorkshopToken.ts'
import { tokenFromQuery } from '../auth/extractToken.ts'
import { TOKEN_REFUSAL_REASONS } from '../sync/authorize.ts'

export type ControlAdmission =
  | {
      ok: true
      workshopId: string
      role: Role
      userId: string
      name: string
      /** Token expiry (ms since the epoch): the connection is closed with 4401 then. */
      expiresAt: number
      tokenId: string | undefined
      /** [A4] The role's generation the token was checked against. */
      generation: number
    }
  | { ok: false; code: CloseCode; reason: string }

export type AuthorizeControlDeps = TokenCheckDeps

/** The workshop id of a `/control/<workshopId>` path, or undefined. */
export function parseControlPath(pathname: string): string | undefined {
  const prefix = `${CONTROL_PATH}/`
  if (!pathname.startsWith(prefix)) return undefined
  const id = pathname.slice(prefix.length)
  return id !== '' && !id.includes('/') ? id : undefined
}

/** Checks a control connection's path, token, user id and name; a 44xx refusal otherwise. */
export async function authorizeControl(
  deps: AuthorizeControlDeps,
  request: { pathname: string; params: URLSearchParams; address: string | undefined },
): Promise<ControlAdmission> {
  const workshopId = parseControlPath(request.pathname)
  if (workshopId === undefined) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected /control/<workshopId>' }
  // The one token check of REST and sync ([A1]–[A4], [A10]), with the same close reasons.
  const checked = await checkWorkshopToken(deps, { workshopId, token: tokenFromQuery(request.params), address: request.address })
  if (!checked.ok) {
    if (checked.failure === 'unknown_workshop') return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'unknown workshop' }
    return { ok: false, code: CLOSE_CODES.unauthorized, reason: TOKEN_REFUSAL_REASONS[checked.failure] }
  }

  const userId = ControlUserIdSchema.safeParse(request.params.get('user'))
  const name = DisplayNameSchema.safeParse(request.params.get('name'))
  if (!userId.success || !name.success) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected user=user:<uuid> and a name' }
  return {
    ok: true,
    workshopId,
    role: checked.role,
    userId: userId.data,
    name: name.data,
    expiresAt: checked.expiresAtMs,
    tokenId: checked.tokenId,
    generation: checked.generation,
  }
}
