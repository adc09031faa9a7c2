// `npm start`: build the client and compile the server if their builds are missing or older than
// their sources, then run the compiled server on plain Node in the foreground, forwarding signals
// and its exit code.
import { spawn } from 'node:child_process'
import { buildClient, isClientBuildFresh, repoRoot } from './clientBuild.mjs'
import { buildServer, isServerBuildFresh, serverEntry } from './serverBuild.mjs'

if (!isClientBuildFresh()) {
  console.log('[start] building the client (dist/client is missing or older than its sources)…')
  const status = buildClient()
  if (status !== 0) {
    console.error('[start] client build failed')
    process.exit(status)
  }
}

if (!isServerBuildFresh()) {
  console.log('[start] compiling the server (dist/node is missing or older than its sources)…')
  const status = buildServer()
  if (status !== 0) {
    console.error('[start] server build failed')
    process.exit(status)
  }
}

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
