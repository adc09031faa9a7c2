/**
 * `GET /api/schema/plan.json`: the plan record as JSON Schema (draft 2020-12), for people who
 * integrate Keyplan with a CRM; `GET /api/schema/plan-view.json`: a plan as one audience sees it,
 * which a customer guest's JSON export follows. Public: they describe the format, not any
 * workshop's data.
 */
import { Hono } from 'hono'
import { once } from '../../shared/lazySchema.ts'
import { planJsonSchema, planViewJsonSchema } from '../../shared/plan.ts'

/** Routes mounted at `/api/schema`. */
export function schemaRoutes(): Hono {
  // Built on the first request: it builds every plan schema, which nothing else at boot needs.
  const plan = once(planJsonSchema)
  const view = once(planViewJsonSchema)
  return new Hono()
    .get('/plan.json', (c) => {
      c.header('Cache-Control', 'public, max-age=3600')
      return c.json(plan())
    })
    .get('/plan-view.json', (c) => {
      c.header('Cache-Control', 'public, max-age=3600')
      return c.json(view())
    })
}
