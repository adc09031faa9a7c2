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
import { tokenFromQuery } from '../auth/extractToken.ts'
import { addressKey, type RateLimiter } from '../auth/rateLimit.ts'
import { checkAccess, verifyToken } from '../auth/tokens.ts'
import type { AccessStore } from '../auth/WorkshopAccess.ts'

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
    }
  | { ok: false; code: CloseCode; reason: string }

export type AuthorizeControlDeps = { tokenSecret: Buffer; access: AccessStore; failures: RateLimiter; now?: () => number }

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
  const key = addressKey(request.address)
  const nowMs = deps.now?.() ?? Date.now()
  if (deps.failures.isLimited(key, nowMs)) return { ok: false, code: CLOSE_CODES.unauthorized, reason: 'too many failed attempts, try later' }
  const refuse = (reason: string): ControlAdmission => {
    deps.failures.hit(key, nowMs)
    return { ok: false, code: CLOSE_CODES.unauthorized, reason }
  }
  const found = tokenFromQuery(request.params)
  if (!found.ok) return refuse(found.reason === 'missing' ? 'missing token' : 'malformed token')
  const verified = verifyToken(deps.tokenSecret, found.value, nowMs)
  if (!verified.ok) return refuse(verified.reason === 'expired' ? 'token expired' : 'invalid token')
  // [A2] before any lookup: another workshop's token learns nothing about this one.
  if (verified.claims.workshopId !== workshopId) return refuse('token is for another workshop')
  const access = await deps.access.getAccess(workshopId)
  if (!access) return { ok: false, code: CLOSE_CODES.unknownWorkshop, reason: 'unknown workshop' }
  const granted = checkAccess(verified.claims, workshopId, access.generations)
  if (!granted.ok) return refuse(granted.reason === 'revoked' ? 'link revoked' : 'invalid token')

  const userId = ControlUserIdSchema.safeParse(request.params.get('user'))
  const name = DisplayNameSchema.safeParse(request.params.get('name'))
  if (!userId.success || !name.success) return { ok: false, code: CLOSE_CODES.badRoom, reason: 'expected user=user:<uuid> and a name' }
  return {
    ok: true,
    workshopId,
    role: granted.role,
    userId: userId.data,
    name: name.data,
    expiresAt: verified.claims.exp * 1000,
    tokenId: verified.claims.jti,
  }
}
