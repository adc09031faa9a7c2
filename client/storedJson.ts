import type { z } from 'zod'

/**
 * A value this browser stored as JSON under `key`, read back through `schema` (local storage is
 * outside the page: anything there may be old, foreign or damaged); undefined when absent or not valid.
 */
export function readStoredJson<T>(key: string, schema: z.ZodType<T>): T | undefined {
  try {
    const parsed = schema.safeParse(JSON.parse(localStorage.getItem(key) ?? 'null'))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
