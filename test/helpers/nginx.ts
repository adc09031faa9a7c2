/**
 * Runs Debian's nginx (`/usr/sbin/nginx`) with `deploy/nginx.conf` in front of test instances:
 * the deploy file's `upstream` servers and `listen` port are replaced by the instances' and a free
 * port, and it is wrapped in a main configuration whose pid file, logs and temp files live in a
 * temp dir (`nginx -c <conf> -p <dir> -g 'daemon off;'`).
 *
 * @example
 * ```ts
 * const nginx = await startNginx(['127.0.0.1:41234', '127.0.0.1:41235'])
 * await fetch(`${nginx.url}/api/health`)
 * await nginx.stop()
 * ```
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import { freePort } from './postgres.ts'
import os from 'node:os'
import path from 'node:path'

const ROOT = path.resolve(import.meta.dirname, '../..')
export const NGINX = '/usr/sbin/nginx'

export type Nginx = { url: string; port: number; stop(): Promise<void>; errorLog(): string }

/** `deploy/nginx.conf` with `upstreams` (`host:port`) as its servers, listening on 127.0.0.1:`port`. */
export function deployConfig(upstreams: readonly string[], port: number): string {
  const deploy = fs.readFileSync(path.join(ROOT, 'deploy/nginx.conf'), 'utf8')
  const servers = deploy.split('\n').filter((line) => /^\s*server 127\.0\.0\.1:\d+/.test(line))
  if (servers.length === 0 || !/^\s*listen 80;/m.test(deploy)) throw new Error('deploy/nginx.conf no longer has the lines this helper replaces')
  const template = servers[0] ?? ''
  return deploy
    .split('\n')
    .flatMap((line) => (line === template ? upstreams.map((upstream) => line.replace(/127\.0\.0\.1:\d+/, upstream)) : servers.includes(line) ? [] : [line]))
    .join('\n')
    .replace(/^(\s*)listen 80;/m, `$1listen 127.0.0.1:${port};`)
}

/** Starts nginx in front of `upstreams` and resolves once it accepts connections. */
export async function startNginx(upstreams: readonly string[]): Promise<Nginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyplan-nginx-'))
  // Workers run as `nobody` when the tests run as root: they must be able to write the temp files.
  fs.chmodSync(dir, 0o777)
  const port = await freePort()
  fs.writeFileSync(path.join(dir, 'keyplan.conf'), deployConfig(upstreams, port))
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    [
      'worker_processes 1;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/error.log warn;`,
      'events { worker_connections 256; }',
      'http {',
      '  access_log off;',
      ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/${kind};`),
      `  include ${dir}/keyplan.conf;`,
      '}',
      '',
    ].join('\n'),
  )
  const child = spawn(NGINX, ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-e', path.join(dir, 'error.log'), '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killNow = () => child.kill('SIGKILL')
  process.once('exit', killNow)
  const errorLog = () => {
    try {
      return fs.readFileSync(path.join(dir, 'error.log'), 'utf8')
    } catch {
      return ''
    }
  }
  // Listening once a TCP connection is accepted.
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${output}\n${errorLog()}`)
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.destroy()
        resolve(true)
      })
      socket.once('error', () => resolve(false))
    })
    if (up) break
    if (attempt > 200) throw new Error(`nginx did not listen: ${output}\n${errorLog()}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    errorLog,
    async stop() {
      process.off('exit', killNow)
      // SIGQUIT: graceful shutdown, open websockets are closed.
      if (child.exitCode === null) child.kill('SIGQUIT')
      const timer = setTimeout(killNow, 5_000)
      await exited
      clearTimeout(timer)
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
