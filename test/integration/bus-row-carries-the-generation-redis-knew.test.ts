/**
 * docs/server-rules.md [S39], issue 17: a board row published on a real Redis carries the
 * sensitivity generation its writer judged it by, whether it was clean, and the newest generation
 * the workshop's key held at the publish, appended by the publish script in lib0's `varUint` (one
 * byte up to 127, more beyond), or that it held none ([S41]); the key is only ever raised.
 */
import { afterAll, beforeAll, expect, test } from 'vitest'
import { RedisLink } from '../../server/cluster/RedisLink.ts'
import { BUS_KIND, boardChannel, decodeBusMessage, encodeRowForScript, sensitivityGenerationKey, type BusMessage } from '../../server/cluster/busMessages.ts'
import { createLogger } from '../../server/log.ts'
import { waitFor } from '../helpers/clients.ts'
import { startRedis, type RedisServer } from '../helpers/redis.ts'

let redis: RedisServer
let link: RedisLink
beforeAll(async () => {
  redis = await startRedis()
  link = RedisLink.connect(redis.url, createLogger('silent'))
  await waitFor(() => link.state === 'ready', 'Redis to be ready', 30_000)
})
afterAll(async () => {
  await link?.close()
  await redis?.stop()
})

test('a published row carries its judgement and the generation Redis knew, or none, which is only raised [S39][S41]', async () => {
  const workshopId = 'w-generations'
  const channel = boardChannel(`${workshopId}/stakeholders`)
  const received: BusMessage[] = []
  link.subscriber.on('messageBuffer', (from: Buffer, data: Buffer) => {
    if (from.toString() === channel) received.push(decodeBusMessage(new Uint8Array(data)))
  })
  await link.subscriber.subscribe(channel)
  const key = sensitivityGenerationKey(workshopId)
  const update = new Uint8Array([1, 2, 3])
  const publish = (seq: number, generation: number, clean: boolean) =>
    link.publishRow(key, channel, encodeRowForScript({ kind: BUS_KIND.update, instance: 'writer', seq, update, generation, clean }))

  // [S41] no key yet (or lost with a restart): the row says so.
  expect(await publish(1, 0, true)).toBeUndefined()
  await link.raiseGeneration(key, 300)
  await link.raiseGeneration(key, 2)
  expect(await publish(2, 1, false)).toBe(300)
  await waitFor(() => received.length === 2, 'both rows', 30_000)
  expect(received).toEqual([
    { kind: BUS_KIND.update, instance: 'writer', seq: 1, update, generation: 0, clean: true, known: undefined },
    { kind: BUS_KIND.update, instance: 'writer', seq: 2, update, generation: 1, clean: false, known: 300 },
  ])
})
