import path from 'node:path'
import { expect, test } from 'vitest'
import { parseEnv } from '../../server/env.ts'
import { startChildServer } from '../helpers/childServer.ts'

test('defaults apply when nothing is set (empty strings count as unset)', () => {
  const config = parseEnv({ PORT: '', HOST: undefined })
  expect(config).toMatchObject({ port: 8787, host: '127.0.0.1', maxFrameBytes: 9 * 1024 * 1024, sqliteSynchronous: 'NORMAL', logLevel: 'info' })
  expect(config.dataDir).toBe(path.resolve('./data'))
})

test('values are coerced and validated', () => {
  expect(parseEnv({ PORT: '0', MAX_FRAME_BYTES: '2048', MAX_UPDATE_BYTES: '1024', SQLITE_SYNCHRONOUS: 'FULL' })).toMatchObject({ port: 0, maxFrameBytes: 2048, sqliteSynchronous: 'FULL' })
  expect(parseEnv({ PING_INTERVAL_MS: '2147483647' }).pingIntervalMs).toBe(2_147_483_647)
})

test('numbers are whole numbers in plain digits, and delays no longer than Node\'s timers take (QA q32b)', () => {
  // Number() syntax listened on 1000 and 4096; Infinity read "expected number, received number".
  expect(() => parseEnv({ PORT: '1e3' })).toThrow(/PORT: must be a whole number in digits, from 0 to 65535/)
  expect(() => parseEnv({ PORT: '0x1000' })).toThrow(/PORT: must be a whole number in digits/)
  expect(() => parseEnv({ MAX_FRAME_BYTES: '1e400' })).toThrow(/MAX_FRAME_BYTES: must be a whole number in digits/)
  expect(() => parseEnv({ MAX_CONNECTIONS_PER_ROOM: '5.0' })).toThrow(/MAX_CONNECTIONS_PER_ROOM: must be a whole number in digits/)
  // Over 2^31 − 1 ms Node runs a timer after 1 ms: pings every millisecond dropped every connection.
  for (const name of ['PING_INTERVAL_MS', 'ROOM_UNLOAD_GRACE_MS', 'HISTORY_IDLE_MS', 'HISTORY_MAX_MS', 'CLUSTER_POLL_MS', 'COMPACTION_LEASE_MS']) {
    expect(() => parseEnv({ [name]: '3000000000' })).toThrow(new RegExp(`${name}: must be at most 2147483647`))
  }
  // A frame cap under the update cap cut updates off (1009) instead of refusing them (4422).
  expect(() => parseEnv({ MAX_FRAME_BYTES: '1024' })).toThrow(/MAX_FRAME_BYTES: must be at least MAX_UPDATE_BYTES \(8388608\)/)
})

test('every invalid variable is listed in one readable error', () => {
  expect(() => parseEnv({ PORT: 'abc', LOG_LEVEL: 'loud', MAX_FRAME_BYTES: '-1' })).toThrow(
    /Invalid environment:\n {2}PORT: .*\n {2}MAX_FRAME_BYTES: .*\n {2}LOG_LEVEL: /,
  )
})

test('the server exits 1 with that message on a bad environment', async () => {
  await expect(startChildServer({ PORT: '99999' })).rejects.toThrow(/exited \(1\)[\s\S]*Invalid environment:[\s\S]*PORT/)
})

test('KEYPLAN_TOKEN_SECRET is a list of kid:secret keys; a bad one is named without echoing any secret', () => {
  const secret = Buffer.alloc(32, 7).toString('base64')
  expect(parseEnv({ KEYPLAN_TOKEN_SECRET: `new:${secret},old:${secret.slice(0, -1)}A` }).tokenKeys?.map((key) => key.kid)).toEqual(['new', 'old'])
  expect(parseEnv({}).tokenKeys).toBeUndefined()
  const short = Buffer.alloc(16, 7).toString('base64')
  expect(() => parseEnv({ KEYPLAN_TOKEN_SECRET: `new:${short}` })).toThrow(/KEYPLAN_TOKEN_SECRET: key new: the secret must be at least 32 bytes/)
  expect(() => parseEnv({ KEYPLAN_TOKEN_SECRET: `new:${short}` })).not.toThrow(new RegExp(short.slice(0, 8)))
})
