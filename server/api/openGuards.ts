/**
 * Stand-in for the token guards of `server/auth/middleware.ts` until `createServer` wires tokens
 * and roles (issue 5): a request under an existing workshop is admitted as its facilitator with
 * the default board settings; an unknown workshop is 404. Routes written against
 * {@link AuthGuards} switch to the real guards by changing the one line that passes these.
 */
import { createMiddleware } from 'hono/factory'
import type { Role } from '../../shared/roles.ts'
import type { AuthGuards, AuthVariables } from '../auth/middleware.ts'
import { newWorkshopAccess } from '../auth/WorkshopAccess.ts'
import type { Store } from '../store/Store.ts'
import { HttpError } from './errors.ts'

/** Guards that check only that the workshop exists. */
export function openGuards(store: Store): Pick<AuthGuards, 'workshop' | 'role'> {
  return {
    workshop: () =>
      createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
        const workshopId = c.req.param('id') ?? ''
        if (!(await store.getWorkshop(workshopId))) throw new HttpError(404, 'not_found', 'no workshop with this id')
        c.set('workshopAuth', { workshopId, role: 'facilitator', access: newWorkshopAccess(), tokenId: undefined })
        await next()
      }),
    role: (allowed: (role: Role) => boolean) =>
      createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
        if (!allowed(c.get('workshopAuth').role)) throw new HttpError(403, 'forbidden', 'your role may not do this')
        await next()
      }),
  }
}
