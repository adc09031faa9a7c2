// `npm start`: build the client if its build is missing or older than its sources, then run the
// server in the foreground, forwarding signals and its exit code.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { buildClient, isClientBuildFresh, repoRoot } from './clientBuild.mjs'

if (!isClientBuildFresh()) {
  console.log('[start] building the client (dist/client is missing or older than its sources)…')
  const status = buildClient()
  if (status !== 0) {
    console.error('[start] client build failed')
    process.exit(status)
  }
}

const server = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'server', 'index.ts')], {
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
