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
  expect(parseEnv({ PORT: '0', MAX_FRAME_BYTES: '2048', SQLITE_SYNCHRONOUS: 'FULL' })).toMatchObject({ port: 0, maxFrameBytes: 2048, sqliteSynchronous: 'FULL' })
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
