// `npm start`: run the bundled server (dist/node) on plain Node in the foreground, serving the
// built client (dist/client), forwarding stop signals and exiting with the server's code.
//
// Builds are prebuilt: `npm run build` writes dist/ (it needs the dev dependencies: vite builds
// both). When they are installed and a build is missing or older than its sources, this
// rebuilds it first; after `npm ci --omit=dev` it runs the build that is there, and stops with
// one line if there is none.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { buildClient, isClientBuildFresh, repoRoot } from './clientBuild.mjs'
import { buildServer, isServerBuildFresh, serverEntry } from './serverBuild.mjs'

const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** True when the package that `build` runs is installed (not after `npm ci --omit=dev`). */
const installed = (pkg) => existsSync(join(repoRoot, 'node_modules', pkg, 'package.json'))

/** Rebuilds a stale or missing build when the tools are there; exits with one line when it cannot. */
function ensureBuilt({ name, marker, isFresh, build, tool }) {
  if (isFresh()) return
  if (!installed(tool)) {
    if (existsSync(marker)) {
      console.error(`[start] ${name} is older than its sources; ${tool} is not installed (npm ci --omit=dev), so running it as built`)
      return
    }
    console.error(`[start] ${name} is missing and ${tool} is not installed: build first with \`npm ci && npm run build\``)
    process.exit(1)
  }
  console.log(`[start] building ${name} (missing or older than its sources)…`)
  const status = build()
  if (status !== 0) {
    console.error(`[start] building ${name} failed`)
    process.exit(status)
  }
}

ensureBuilt({ name: 'dist/client', marker: join(repoRoot, 'dist', 'client', 'index.html'), isFresh: isClientBuildFresh, build: buildClient, tool: 'vite' })
ensureBuilt({ name: 'dist/node', marker: serverEntry, isFresh: isServerBuildFresh, build: buildServer, tool: 'vite' })

const server = spawn(process.execPath, [serverEntry], { cwd: repoRoot, stdio: 'inherit' })

// Forward stop signals so the server closes sockets and flushes storage before it exits. `npm start`
// forwards SIGINT and SIGTERM to this process (package.json `exec`s it, so no shell sits between
// them that would die without passing the signal on).
for (const signal of signals) process.on(signal, () => server.kill(signal))

server.on('exit', (code, signal) => {
  if (signal) {
    // End the same way as the server so our parent sees how it stopped.
    for (const name of signals) process.removeAllListeners(name)
    process.kill(process.pid, signal)
    return
  }
  process.exit(code ?? 1)
})
