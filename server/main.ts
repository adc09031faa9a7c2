/**
 * The compiled server's entry point (`npm start` runs `dist/node/server/main.js`): boots
 * `server/index.ts` while V8's young generation stays at its starting size.
 *
 * Loading the modules allocates fast and most of it survives (module code, schemas), so V8
 * doubles the young generation after each scavenge that promotes more than its size and reaches
 * its maximum (2 × 16 MB) within the first second. Nothing shrinks it back while clients keep the
 * process busy, even idle ones renewing their awareness: ~20 MB of RSS bought for the start-up
 * burst alone. Growth is therefore off until the server listens, and back to V8's default after,
 * so under load the young generation grows as it always would (the hot path is unchanged).
 * Everything else is loaded with `import()` after the flag is set: a static import would be
 * parsed and linked, and most of the growth done, before this module runs. A deployment that
 * sets `--semi-space-growth-factor` itself (command line or NODE_OPTIONS) keeps its setting.
 */
import v8 from 'node:v8'

const FLAG = 'semi-space-growth-factor'
/** V8's default growth factor (Node 20, V8 11.3). */
const DEFAULT_GROWTH_FACTOR = 2

const setByDeployment = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes(FLAG))

if (!setByDeployment) v8.setFlagsFromString(`--${FLAG}=1`)
// Resolves once the server listens (index.ts awaits its start at top level); a failed start exits.
await import('./index.ts')
if (!setByDeployment) v8.setFlagsFromString(`--${FLAG}=${DEFAULT_GROWTH_FACTOR}`)
