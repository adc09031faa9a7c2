/**
 * A record source whose records the page can ask to be read again (issue 13, [C11]): the team's
 * merge of a board's two documents depends on the workshop's sensitivity, which can change while
 * the board is bound. After a change, {@link RefreshableSource.refresh} hands every observer all
 * records as they now read; the binding applies only those that differ from its store
 * (`bindStoreToYDoc`), so a refresh costs one read of the board and no writes.
 */
import type { JsonObject } from '@tldraw/utils'
import type * as Y from 'yjs'
import type { RecordChanges } from '../../shared/docLayout.ts'
import type { RecordSource } from './internalParts.ts'

/** The origin of a refresh's changes: never the binding's own, so they reach the store. */
const REFRESH_ORIGIN = Symbol('sensitivity refresh')

export interface RefreshableSource {
  source: RecordSource
  /** Hands every observer all records, read now. */
  refresh(): void
}

/** Wraps `inner` so that its records can be handed to its observers again. */
export function refreshableSource(inner: RecordSource): RefreshableSource {
  const observers = new Set<(changes: RecordChanges, tr: Y.Transaction) => void>()
  return {
    source: {
      readAll: () => inner.readAll(),
      write: (changes, origin) => inner.write(changes, origin),
      observe(listener) {
        observers.add(listener)
        const stop = inner.observe(listener)
        return () => {
          observers.delete(listener)
          stop()
        }
      },
    },
    refresh() {
      const put: JsonObject[] = [...inner.readAll().values()]
      // Observers of a record source read only a transaction's origin (to skip their own writes).
      const tr = { origin: REFRESH_ORIGIN } as unknown as Y.Transaction
      for (const observer of observers) observer({ put, remove: [] }, tr)
    },
  }
}
