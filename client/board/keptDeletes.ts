import { atom, type Atom, type TLStore } from 'tldraw'

/** Shapes a delete of this page left in place because a guest may delete only what it added ([R7]). */
export interface KeptDeletes {
  /** How many shapes the last such delete kept. */
  count: number
  /** Tells one delete from the next, so a notice that is shown again is announced again. */
  key: number
}

const keptByStore = new WeakMap<TLStore, Atom<KeptDeletes | null>>()

/** The last delete on the board whose store is `store` that kept others' shapes; null once dismissed. */
export function keptDeletes(store: TLStore): Atom<KeptDeletes | null> {
  let kept = keptByStore.get(store)
  if (!kept) keptByStore.set(store, (kept = atom<KeptDeletes | null>('kept deletes', null)))
  return kept
}

/**
 * Returns a function to call once for each shape a delete keeps; the shapes kept by one delete
 * (tldraw asks once per record, in one task) are told as one.
 */
export function keptDeleteCounter(store: TLStore): () => void {
  let pending = 0
  let key = 0
  return () => {
    if (pending++ > 0) return
    queueMicrotask(() => {
      keptDeletes(store).set({ count: pending, key: ++key })
      pending = 0
    })
  }
}

const templateByStore = new WeakMap<TLStore, Atom<number | null>>()

/**
 * The last time this page's person tried to change one of the board's template frames (a SWOT
 * quadrant, a status column) without the right to: a counter, so a notice shown again is
 * announced again; null once dismissed.
 */
export function keptTemplates(store: TLStore): Atom<number | null> {
  let kept = templateByStore.get(store)
  if (!kept) templateByStore.set(store, (kept = atom<number | null>('kept templates', null)))
  return kept
}

/** Returns a function to call for each refused change of a template frame; one task's are told once. */
export function keptTemplateSignal(store: TLStore): () => void {
  let pending = false
  let key = 0
  return () => {
    if (pending) return
    pending = true
    queueMicrotask(() => {
      pending = false
      keptTemplates(store).set(++key)
    })
  }
}
