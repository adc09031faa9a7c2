import { useCallback, useEffect, useState } from 'react'
import { ApiRequestError } from '../api.ts'

/** The state of a request a component depends on. */
export type RequestState<T> =
  | { status: 'loading' }
  | { status: 'error'; message: string; code: string }
  | { status: 'ready'; data: T }

/**
 * Runs `load` whenever `key` changes (aborting the previous run) and on `reload()`. Pass a null
 * `key` to load nothing. The previous data stays on screen while a reload is under way.
 * @example const list = useRequest(workshopId, (signal) => listSnapshots(workshopId, signal))
 */
export function useRequest<T>(key: string | null, load: (signal: AbortSignal) => Promise<T>): RequestState<T> & { reload(): void } {
  const [state, setState] = useState<RequestState<T>>({ status: 'loading' })
  const [generation, setGeneration] = useState(0)
  const [loadedKey, setLoadedKey] = useState<string | null>(null)

  // A new key shows "loading" at once instead of the previous key's data.
  if (key !== loadedKey) {
    setLoadedKey(key)
    setState({ status: 'loading' })
  }

  useEffect(() => {
    if (key === null) return
    const controller = new AbortController()
    load(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) setState({ status: 'ready', data })
      },
      (error: unknown) => {
        if (controller.signal.aborted) return
        const code = error instanceof ApiRequestError ? error.code : 'unknown'
        const message = error instanceof Error ? error.message : String(error)
        setState({ status: 'error', code, message })
      },
    )
    return () => controller.abort()
    // `load` is a new closure every render; what it loads is named by `key`.
  }, [key, generation])

  const reload = useCallback(() => setGeneration((n) => n + 1), [])
  return { ...state, reload }
}
