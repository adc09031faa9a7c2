// `node --import ./test/helpers/recordModuleLoads.mjs …` with MODULE_LOG=<file>: appends to that file
// the URL of every module the process's ESM loader loads (CommonJS files that a CommonJS package
// `require`s itself are not seen), for tests of what the built server loads.
import { register } from 'node:module'

register('./recordModuleLoadsHooks.mjs', import.meta.url, { data: { file: process.env.MODULE_LOG } })
