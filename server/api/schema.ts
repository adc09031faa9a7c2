/**
 * `GET /api/schema/plan.json`: the plan record as JSON Schema (draft 2020-12), for people who
 * integrate Keyplan with a CRM. Public: it describes the format, not any workshop's data.
 */
import { Hono } from 'hono'
import { once } from '../../shared/lazySchema.ts'
import { planJsonSchema } from '../../shared/plan.ts'

/** Routes mounted at `/api/schema`. */
export function schemaRoutes(): Hono {
  // Built on the first request: it builds every plan schema, which nothing else at boot needs.
  const plan = once(planJsonSchema)
  return new Hono().get('/plan.json', (c) => {
    c.header('Cache-Control', 'public, max-age=3600')
    return c.json(plan())
  })
}
