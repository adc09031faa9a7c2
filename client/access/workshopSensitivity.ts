/**
 * The page's copy of a workshop's field sensitivities (issue 13, `shared/sensitivity.ts`), for the
 * team's roles only (guests are not told, [A35]). Loaded with `GET /sensitivity`, replaced by what
 * the server pushes on room control ([C11]) and by the answer to the facilitator's own change, so
 * the board binding, the card markers and the Share panel all follow one value.
 */
import { useEffect, useState } from 'react'
import { resolveSensitivity, type Sensitivity, type SensitivityOverrides } from '../../shared/sensitivity.ts'
import { getSensitivity } from '../api.ts'

type Listener = (sensitivity: Sensitivity) => void

const known = new Map<string, Sensitivity>()
const listeners = new Map<string, Set<Listener>>()
const loading = new Map<string, Promise<Sensitivity>>()
/** Counts announcements per workshop: a read that started before one is older than it. */
const announced = new Map<string, number>()

/** The sensitivity this page last learnt for the workshop, if any. */
export function currentSensitivity(workshopId: string): Sensitivity | undefined {
  return known.get(workshopId)
}

/** Takes the workshop's overrides as the server stated them; listeners hear of a change. */
export function announceSensitivity(workshopId: string, overrides: SensitivityOverrides): void {
  announced.set(workshopId, (announced.get(workshopId) ?? 0) + 1)
  const next = resolveSensitivity(overrides)
  const was = known.get(workshopId)
  known.set(workshopId, next)
  if (was && JSON.stringify(was) === JSON.stringify(next)) return
  for (const listener of listeners.get(workshopId) ?? []) listener(next)
}

/**
 * Reads the workshop's sensitivity from the server (one request at a time per workshop) and
 * announces it. A page that cannot read it works with the defaults (the server judges anyway).
 */
export function loadSensitivity(workshopId: string): Promise<Sensitivity> {
  let pending = loading.get(workshopId)
  if (!pending) {
    const before = announced.get(workshopId) ?? 0
    pending = getSensitivity(workshopId)
      .then(
        (view) => {
          // A push (or the facilitator's own change) that came in meanwhile is newer than this read.
          if ((announced.get(workshopId) ?? 0) === before) announceSensitivity(workshopId, view.fields)
        },
        () => {
          if (!known.has(workshopId)) announceSensitivity(workshopId, {})
        },
      )
      .then(() => known.get(workshopId) ?? resolveSensitivity(undefined))
      .finally(() => loading.delete(workshopId))
    loading.set(workshopId, pending)
  }
  return pending
}

/** Calls `listener` with each new sensitivity of the workshop; returns the unsubscribe function. */
export function onSensitivityChanged(workshopId: string, listener: Listener): () => void {
  let set = listeners.get(workshopId)
  if (!set) listeners.set(workshopId, (set = new Set()))
  set.add(listener)
  return () => {
    set.delete(listener)
  }
}

/**
 * The workshop's current sensitivity, following every change; null until loaded, and always for
 * a page that may not know it (`enabled` false: a guest's).
 */
export function useWorkshopSensitivity(workshopId: string, enabled: boolean): Sensitivity | null {
  const [sensitivity, setSensitivity] = useState<Sensitivity | null>(() => (enabled ? (currentSensitivity(workshopId) ?? null) : null))
  useEffect(() => {
    if (!enabled) {
      setSensitivity(null)
      return
    }
    let live = true
    const stop = onSensitivityChanged(workshopId, (next) => {
      if (live) setSensitivity(next)
    })
    const now = currentSensitivity(workshopId)
    if (now) setSensitivity(now)
    else
      void loadSensitivity(workshopId).then((loaded) => {
        if (live) setSensitivity(loaded)
      })
    return () => {
      live = false
      stop()
    }
  }, [workshopId, enabled])
  return sensitivity
}
