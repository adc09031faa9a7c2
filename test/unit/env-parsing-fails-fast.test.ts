import path from 'node:path'
import { expect, test } from 'vitest'
import { parseEnv } from '../../server/env.ts'
import { startChildServer } from '../helpers/childServer.ts'

test('defaults apply when nothing is set (empty strings count as unset)', () => {
  const config = parseEnv({ PORT: '', HOST: undefined })
  expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', maxFrameBytes: 9 * 1024 * 1024, sqliteSynchronous: 'NORMAL', logLevel: 'info', backgroundThreadNice: 19 })
  expect(config.dataDir).toBe(path.resolve('./data'))
})

test('values are coerced and validated', () => {
  expect(parseEnv({ PORT: '0', MAX_FRAME_BYTES: '2048', SQLITE_SYNCHRONOUS: 'FULL' })).toMatchObject({ port: 0, maxFrameBytes: 2048, sqliteSynchronous: 'FULL' })
})

test('BACKGROUND_THREAD_NICE is a nice value from 0 (leave the threads) to 19', () => {
  expect(parseEnv({ BACKGROUND_THREAD_NICE: '0' }).backgroundThreadNice).toBe(0)
  expect(parseEnv({ BACKGROUND_THREAD_NICE: '10' }).backgroundThreadNice).toBe(10)
  for (const bad of ['-1', '20', '5.5', 'low']) expect(() => parseEnv({ BACKGROUND_THREAD_NICE: bad })).toThrow(/BACKGROUND_THREAD_NICE/)
})

test('EVENT_LOOP_SLICE_US is 0 (the kernel default) or 100–100000 microseconds, 100 by default', () => {
  expect(parseEnv({}).eventLoopSliceUs).toBe(100)
  for (const good of ['0', '100', '2500', '100000']) expect(parseEnv({ EVENT_LOOP_SLICE_US: good }).eventLoopSliceUs).toBe(Number(good))
  for (const bad of ['-1', '50', '99', '100001', '1.5', 'short']) expect(() => parseEnv({ EVENT_LOOP_SLICE_US: bad })).toThrow(/EVENT_LOOP_SLICE_US/)
})

test('every invalid variable is listed in one readable error', () => {
  expect(() => parseEnv({ PORT: 'abc', LOG_LEVEL: 'loud', MAX_FRAME_BYTES: '-1' })).toThrow(
    /Invalid environment:\n {2}PORT: .*\n {2}MAX_FRAME_BYTES: .*\n {2}LOG_LEVEL: /,
  )
})

test('the server exits 1 with that message on a bad environment', async () => {
  await expect(startChildServer({ PORT: '99999' })).rejects.toThrow(/exited \(1\)[\s\S]*Invalid environment:[\s\S]*PORT/)
})
