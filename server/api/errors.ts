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
  const hidden = invisibleIn(raw, [], 0)
  if (hidden !== null) throw new HttpError(400, 'invalid_body', `${hidden}: must not contain control characters (nor invisible or direction-changing ones)`)
  return parseWith(schema, raw, 'invalid_body')
}

/**
 * The invisible characters that make one name look like another (QA q28c: "\u202Eliar emca" showed
 * as "acme rail", "Acme\u200bRail" was a second "Acme Rail", an account of zero-width spaces a
 * blank row): direction embeddings, overrides and isolates, zero-width space, word joiner, byte
 * order mark; and half a surrogate pair. The joiners some scripts and emoji need (U+200C, U+200D)
 * are not among them. Refused in every request body (names, titles, labels: nothing of the API
 * takes free text that needs them), not in what is stored, which stays readable as it was.
 */
const INVISIBLE = /[\p{Cs}\u200B\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u

/** The path of the first string in `value` holding an {@link INVISIBLE} character (keys too); null when none. Depth-bounded. */
function invisibleIn(value: unknown, path: readonly string[], depth: number): string | null {
  if (typeof value === 'string') return INVISIBLE.test(value) ? path.join('.') || 'body' : null
  if (typeof value !== 'object' || value === null || depth > 20) return null
  for (const [key, inner] of Object.entries(value)) {
    if (INVISIBLE.test(key)) return [...path, 'key'].join('.')
    const found = invisibleIn(inner, [...path, key], depth + 1)
    if (found !== null) return found
  }
  return null
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
