/**
 * JSON logs, one object per line on stderr, written by `pino`: `{"level":"info","time":"…",
 * "msg":"sync.open","room":"…","conn":7,…}`. Values are JSON-escaped, so control characters an
 * outsider put in a request path never reach the log raw. Callers pass the room and connection id
 * as fields; never pass URLs with query strings (tokens travel there). Fields named like a
 * credential are redacted all the same.
 *
 * @example
 * ```ts
 * const log = createLogger('info')
 * log.info('sync.open', { room: conn.docName, conn: conn.id, tokenId: auth.tokenId })
 * ```
 */
import pino, { type DestinationStream } from 'pino'
import type { Config } from './env.ts'

export type LogLevel = Config['logLevel']
export type LogFields = Record<string, string | number | boolean | undefined>

export type Logger = {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

/** Field names whose values are never written: a caller's slip must not put a credential in a log. */
const REDACTED = ['token', 'authorization', 'orgKey', 'secret']

/**
 * A logger at `level` writing JSON lines to `destination` (stderr by default; stdout carries only
 * the `listening on` line). Writes are synchronous, so the lines before a `process.exit` are kept.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = pino.destination({ dest: 2, sync: true })): Logger {
  const logger = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    destination,
  )
  return {
    debug: (event, fields) => logger.debug(fields ?? {}, event),
    info: (event, fields) => logger.info(fields ?? {}, event),
    warn: (event, fields) => logger.warn(fields ?? {}, event),
    error: (event, fields) => logger.error(fields ?? {}, event),
  }
}
