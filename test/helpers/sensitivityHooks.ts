/**
 * What the several-instance sensitivity tests share: the test hooks they preload into an instance
 * (each opens one window of [S39]–[S41] by a pause or a hold, never by timing), the change they
 * make, and the card whose field it concerns.
 */
import type { JsonObject } from '@tldraw/utils'
import { stakeholder } from './planBoards.ts'

/** Preloads for `cluster.start(env, { preload })`: see each file's header. */
export const SENSITIVITY_HOOKS = {
  pauseChange: './test/helpers/pauseSensitivityChange.ts',
  pauseRaise: './test/helpers/pauseGenerationRaise.ts',
  holdCatchUp: './test/helpers/holdCatchUp.ts',
  holdEvents: './test/helpers/holdSensitivityEvents.ts',
  delayPublish: './test/helpers/delayRowPublish.ts',
} as const

/** The change the tests make: a stakeholder's department becomes internal. */
export const DEPARTMENT_INTERNAL = { 'stakeholder.department': 'internal' } as const

/** A stakeholder card named `name` whose department holds `department`. */
export const departmentCard = (id: string, name: string, department: string) => stakeholder(id, { x: 0, y: 0 }, { name, department }) as unknown as JsonObject // test records are JSON
