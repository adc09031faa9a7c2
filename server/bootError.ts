/**
 * The one line the server prints when it cannot start: a busy port, an unwritable or full
 * DATA_DIR, a corrupt secret file. Whatever the cause, the operator gets one readable line on
 * stderr and a non-zero exit, never a stack.
 */
import type { Config } from './env.ts'

/** Node's system-error codes (and SQLite's) that mean the disk or the directory refused a write. */
const STORAGE_CODES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is not a directory',
  EEXIST: 'a file is in the way',
  EIO: 'input/output error',
  KEYPLAN_DIR_REFUSED: 'the file system there takes no new directories (a path under /proc or /sys?)',
  SQLITE_FULL: 'no space left on the device',
  SQLITE_READONLY: 'SQLite cannot write the database (read-only)',
  SQLITE_CANTOPEN: 'SQLite cannot open the database file',
  SQLITE_IOERR: 'SQLite input/output error',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_NOTADB: 'keyplan.sqlite is not a SQLite database',
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined
  const { code } = error
  if (typeof code !== 'string') return undefined
  // better-sqlite3 reports extended codes (SQLITE_IOERR_WRITE, SQLITE_CANTOPEN_ISDIR...).
  const base = Object.keys(STORAGE_CODES).find((known) => code === known || code.startsWith(`${known}_`))
  return base ?? code
}

/**
 * Describes why the server could not start, in one line (no newline) for stderr.
 *
 * @example `keyplan: cannot listen on 127.0.0.1:8787: the port is already in use (set PORT to a free port, or stop the other server)`
 */
export function describeBootError(error: unknown, config: Pick<Config, 'host' | 'port' | 'dataDir'>): string {
  const code = codeOf(error)
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ').trim()
  const address = `${config.host}:${config.port}`
  if (code === 'EADDRINUSE') return `keyplan: cannot listen on ${address}: the port is already in use (set PORT to a free port, or stop the other server)`
  if (code === 'EADDRNOTAVAIL') return `keyplan: cannot listen on ${address}: no such address on this machine (check HOST)`
  const syscall = typeof error === 'object' && error !== null && 'syscall' in error ? error.syscall : undefined
  // Binding a port below 1024 needs privilege; the same code from a file call is a DATA_DIR problem.
  if (code === 'EACCES' && syscall === 'listen')
    return `keyplan: cannot listen on ${address}: permission denied (use a port above 1023, or grant CAP_NET_BIND_SERVICE)`
  if (code !== undefined && code in STORAGE_CODES) return `keyplan: cannot write DATA_DIR ${config.dataDir}: ${STORAGE_CODES[code]} (${message})`
  return `keyplan: cannot start: ${message}`
}
