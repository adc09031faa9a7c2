// `npm start`: build the client and compile the server if their builds are missing or older than
// their sources, then run the compiled server on plain Node in the foreground, forwarding signals
// and its exit code.
import { spawn } from 'node:child_process'
import { buildClient, isClientBuildFresh, repoRoot } from './clientBuild.mjs'
import { buildServer, isServerBuildFresh, serverEntry } from './serverBuild.mjs'

/** Runs `build` when `isFresh` says the build is missing or stale; exits on a failed build. */
function ensureBuilt(isFresh, build, starting, failed) {
  if (isFresh()) return
  console.log(`[start] ${starting}`)
  const status = build()
  if (status !== 0) {
    console.error(`[start] ${failed}`)
    process.exit(status)
  }
}

ensureBuilt(isClientBuildFresh, buildClient, 'building the client (dist/client is missing or older than its sources)…', 'client build failed')
ensureBuilt(isServerBuildFresh, buildServer, 'compiling the server (dist/node is missing or older than its sources)…', 'server build failed')

const server = spawn(process.execPath, [serverEntry], {
  cwd: repoRoot,
  stdio: 'inherit',
})

// Forward stop signals so the server can close sockets and flush storage before it exits.
const signals = ['SIGINT', 'SIGTERM', 'SIGHUP']
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
