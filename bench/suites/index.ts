import type { Suite } from '../types.ts'
import { layoutSuite } from './layout.ts'
import { planSuite } from './plan.ts'
import { recordPassSuite } from './recordPass.ts'
import { serverSuite } from './server.ts'
import { snapshotSuite } from './snapshot.ts'
import { storeSuite } from './store.ts'
import { browserSuite } from './browser.ts'
import { clusterSuite } from './cluster.ts'
import { hostileSuite } from './hostile.ts'
import { historySuite } from './history.ts'

/**
 * Every benchmark suite, in run order. To add one, write `bench/suites/<name>.ts` exporting a
 * `Suite` (see `bench/types.ts`) and list it here.
 */
export const SUITES: readonly Suite[] = [serverSuite, layoutSuite, recordPassSuite, planSuite, snapshotSuite, storeSuite, clusterSuite, hostileSuite, historySuite, browserSuite]
