// `npm run build`: builds the client (dist/client) and bundles the server (dist/node), both with vite,
// each into a side directory that then replaces the old build. Needs the dev dependencies; the
// result runs with production dependencies only (`npm ci --omit=dev && npm start`).
import { buildClient } from './clientBuild.mjs'
import { buildServer } from './serverBuild.mjs'

for (const [name, build] of [['dist/client', buildClient], ['dist/node', buildServer]]) {
  const status = build()
  if (status !== 0) {
    console.error(`[build] ${name} failed`)
    process.exit(status)
  }
}
