import * as Y from 'yjs'

/** A seeded source of random choices, so a failing run can be replayed from its seed. */
export interface SeededRandom {
  /** A number in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  below(n: number): number
  /** One element of a non-empty list. */
  pick<T>(list: readonly T[]): T
}

/** mulberry32, a small PRNG: the same seed gives the same sequence on every machine. */
export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const below = (n: number) => Math.floor(next() * n)
  const pick = <T,>(list: readonly T[]): T => list[below(list.length)] as T // index < length, so an element
  return { next, below, pick }
}

/** The network between peers' docs in a convergence test: it delivers only when told to. */
export interface DelayedDelivery {
  /** Delivers a random number of the updates waiting for `docs[who]`, in random order. */
  deliverSome(who: number): void
  /** Delivers everything still waiting, twice round, so updates sent in reply arrive too. */
  deliverAll(): void
}

/**
 * Queues every local update of each doc for each other doc, as a network that delays and
 * reorders messages (after Yjs's `tests/testHelper.js`). Updates applied by this network carry
 * the origin `'delivery'` and are not sent on again.
 */
export function delayedDelivery(docs: readonly Y.Doc[], random: SeededRandom): DelayedDelivery {
  const inbox: Uint8Array[][] = docs.map(() => [])
  docs.forEach((doc, from) =>
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === 'delivery') return
      docs.forEach((_, to) => to !== from && inbox[to]?.push(update))
    }),
  )
  const queueOf = (who: number) => inbox[who] as Uint8Array[] // one queue per doc
  const deliver = (who: number, update: Uint8Array) => Y.applyUpdate(docs[who] as Y.Doc, update, 'delivery') // one doc per queue
  return {
    deliverSome(who) {
      const queue = queueOf(who)
      // A random subset in random order: Yjs keeps what it cannot integrate yet.
      for (let n = random.below(queue.length + 1); n > 0; n--) {
        const [update] = queue.splice(random.below(queue.length), 1)
        if (update) deliver(who, update)
      }
    },
    deliverAll() {
      for (let round = 0; round < 2; round++) {
        docs.forEach((_, who) => {
          for (const update of queueOf(who).splice(0)) deliver(who, update)
        })
      }
    },
  }
}
