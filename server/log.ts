/**
 * One-line logs: `<level> <event> key=value ...`. Callers pass the room and connection id as
 * fields; never pass URLs with query strings (tokens travel there).
 */
import type { Config } from './env.ts'

export type LogLevel = Config['logLevel']
export type LogFields = Record<string, string | number | boolean | undefined>

export type Logger = {
  debug(event: string, fields?: LogFields): void
  info(event: string, fields?: LogFields): void
  warn(event: string, fields?: LogFields): void
  error(event: string, fields?: LogFields): void
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

function format(level: string, event: string, fields: LogFields | undefined): string {
  let line = `${new Date().toISOString()} ${level} ${event}`
  for (const [key, value] of Object.entries(fields ?? {})) {
    if (value === undefined) continue
    const text = String(value)
    line += ` ${key}=${/[\s"]/.test(text) ? JSON.stringify(text) : text}`
  }
  return line
}

/** A logger writing to stderr (stdout carries only the `listening on` line). */
export function createLogger(level: LogLevel): Logger {
  const min = RANK[level]
  const write = (lvl: Exclude<LogLevel, 'silent'>) => (event: string, fields?: LogFields) => {
    if (RANK[lvl] >= min) process.stderr.write(`${format(lvl, event, fields)}\n`)
  }
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') }
}
