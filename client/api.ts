import type { z } from 'zod'
import {
  ApiErrorSchema,
  WorkshopListSchema,
  WorkshopSchema,
  type CreateWorkshopBody,
  type Workshop,
} from '../shared/api.ts'

/** An API call that failed: the server's error code and message, or a network/parse failure. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

async function request<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init?.headers } })
  } catch {
    throw new ApiRequestError(0, 'network_error', 'Cannot reach the Keyplan server. Check your connection.')
  }
  const body: unknown = await response.json().catch(() => null)
  if (!response.ok) {
    const parsed = ApiErrorSchema.safeParse(body)
    if (parsed.success) throw new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message)
    throw new ApiRequestError(response.status, 'http_error', `The server answered ${response.status}.`)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw new ApiRequestError(response.status, 'invalid_response', 'The server sent an unexpected response.')
  }
  return parsed.data
}

/** Recent workshops, newest first. */
export async function listWorkshops(signal?: AbortSignal): Promise<Workshop[]> {
  const list = await request(WorkshopListSchema, '/api/workshops', { signal })
  return list.workshops
}

/** One workshop with its boards. */
export function getWorkshop(id: string, signal?: AbortSignal): Promise<Workshop> {
  return request(WorkshopSchema, `/api/workshops/${encodeURIComponent(id)}`, { signal })
}

/** Creates a workshop; the server seeds its boards' templates. */
export function createWorkshop(body: CreateWorkshopBody): Promise<Workshop> {
  return request(WorkshopSchema, '/api/workshops', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}
