import { expect, test } from 'vitest'
import { createLogger, type LogLevel } from '../../server/log.ts'

/** A logger at `level` whose lines are collected, parsed. */
function capture(level: LogLevel) {
  const lines: string[] = []
  const log = createLogger(level, { write: (line: string) => void lines.push(line) })
  return { log, parsed: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>), lines }
}

test('one JSON object per line: level, time, event as msg, then the fields', () => {
  const { log, parsed, lines } = capture('info')
  log.info('sync.open', { room: 'w/swot', conn: 7, readOnly: false, tokenId: undefined })
  expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true)
  expect(parsed()).toEqual([{ level: 'info', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), msg: 'sync.open', room: 'w/swot', conn: 7, readOnly: false }])
})

test('LOG_LEVEL filters: below the level nothing is written; silent writes nothing', () => {
  const warn = capture('warn')
  warn.log.debug('a')
  warn.log.info('b')
  warn.log.warn('c')
  warn.log.error('d')
  expect(warn.parsed().map((line) => [line.level, line.msg])).toEqual([['warn', 'c'], ['error', 'd']])
  const silent = capture('silent')
  silent.log.error('e')
  expect(silent.lines).toEqual([])
})

test('a field named like a credential is redacted, whatever a caller passes [A11]', () => {
  const { log, parsed } = capture('info')
  log.warn('oops', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.sig', authorization: 'Bearer x', orgKey: 'k', room: 'w/swot' })
  expect(parsed()[0]).toMatchObject({ token: '[redacted]', authorization: '[redacted]', orgKey: '[redacted]', room: 'w/swot' })
})
