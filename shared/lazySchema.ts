/**
 * Schemas built on first use instead of at import. zod 4's classic API gives every schema
 * instance its own set of method closures (~45), so a module of schemas costs heap as soon as it
 * is imported: the server's stores and routes import the plan, account, control and API schemas
 * at boot, but most of them are needed only by the request that parses that kind of thing
 * (docs/sync-server-targets.md, "Memory"). Validation is the same schema, only built later.
 */
import { z } from 'zod'

let declared = 0
let built = 0

/**
 * A schema that `build` makes the first time anything reads it (`.parse`, `.shape`, being
 * validated inside another schema…); the same instance afterwards. Typed as the schema itself,
 * so call sites and `z.infer` do not change.
 *
 * Its metadata (`.describe()`, `.meta()`) is registered for the stand-in too, so that
 * `z.toJSONSchema` finds a description on a field whichever of the two the parent holds.
 *
 * @example
 * export const SwotItemSchema = lazySchema(() => z.object({ id: z.string(), text: z.string() }))
 */
export function lazySchema<T extends z.core.$ZodType>(build: () => T): T {
  declared++
  let schema: T | undefined
  const stand: object = {}
  const real = (): T => {
    if (schema === undefined) {
      schema = build()
      built++
      // The stand-in is what parents and callers hold; zod's registry is keyed by identity.
      const meta = z.globalRegistry.get(schema)
      if (meta !== undefined) z.globalRegistry.add(proxy, meta)
    }
    return schema
  }
  // The stand-in forwards every read and write to the schema `build` returns.
  const proxy = new Proxy(stand, {
    get: (_, key) => Reflect.get(real(), key),
    set: (_, key, value) => Reflect.set(real(), key, value),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    // Reported configurable: the stand-in object itself has none of these properties, and a
    // proxy may not report a non-configurable property its target lacks (zod's `_zod` is one).
    getOwnPropertyDescriptor: (_, key) => {
      const descriptor = Reflect.getOwnPropertyDescriptor(real(), key)
      return descriptor && { ...descriptor, configurable: true }
    },
    defineProperty: (_, key, descriptor) => Reflect.defineProperty(real(), key, descriptor),
    deleteProperty: (_, key) => Reflect.deleteProperty(real(), key),
    getPrototypeOf: () => Reflect.getPrototypeOf(real()),
  }) as T // forwards everything to a T (above)
  return proxy
}

/** A value `make` computes the first time it is asked for; the same value afterwards. */
export function once<T>(make: () => T): () => T {
  let value: { v: T } | undefined
  return () => (value ??= { v: make() }).v
}

/**
 * How many {@link lazySchema} schemas this process declared and how many it has built so far:
 * the observable for checking that booting the server builds none of them.
 */
export function lazySchemaCounts(): { declared: number; built: number } {
  return { declared, built }
}
