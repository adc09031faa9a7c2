/**
 * Error responses of the REST API, always `{ "error": { "code", "message" } }`
 * (`ApiErrorSchema` in shared/api.ts), and body validation shared by every route.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { z } from 'zod'
import type { ApiError } from '../../shared/api.ts'

/** Thrown by route helpers; `app.onError` turns it into an error response. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** Builds an error response. */
export function errorResponse(c: Context, status: ContentfulStatusCode, code: string, message: string): Response {
  const body: ApiError = { error: { code, message } }
  return c.json(body, status)
}

/**
 * Reads a JSON body and validates it with `schema`. Throws {@link HttpError}: 415 when the
 * content type is not JSON, 400 `invalid_json` for malformed JSON, 400 `invalid_body` (with the
 * first problems in the message) when the schema rejects it.
 *
 * @example `const body = await parseJsonBody(c, CreateWorkshopBodySchema)`
 */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const type = c.req.header('content-type') ?? ''
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpError(415, 'unsupported_media_type', 'send the body as application/json')
  }
  let raw: unknown
  try {
    raw = await c.req.json()
  } catch {
    throw new HttpError(400, 'invalid_json', 'the body is not valid JSON')
  }
  return parseWith(schema, raw, 'invalid_body')
}

/**
 * Like {@link parseJsonBody} for a route whose body is optional: an empty body is read as `{}`.
 */
export async function parseOptionalJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const length = c.req.header('content-length')
  const empty = (length === undefined || length === '0') && c.req.header('transfer-encoding') === undefined
  if (empty) return parseWith(schema, {}, 'invalid_body')
  return parseJsonBody(c, schema)
}

/** Validates `value` (a param, a query) with `schema`; throws a 400 {@link HttpError} with `code`. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, code: string): z.infer<S> {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const problems = result.error.issues
    .slice(0, 3)
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
  throw new HttpError(400, code, problems.join('; '))
}
