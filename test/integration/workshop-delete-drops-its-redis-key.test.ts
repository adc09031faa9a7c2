/**
 * docs/server-rules.md [S39], issues 13 and 17: a workshop's sensitivity generation key on Redis
 * (`keyplan:sensitivity-generation:<id>`) goes with the workshop when it is deleted over REST, and
 * only its own: another workshop's key stays. (Redis down at the delete: see
 * `workshop-delete-fenced-across-instances.test.ts`, whose delete still answers 204.)
 */
import { Redis } from 'ioredis'
import { expect, test } from 'vitest'
import { sensitivityGenerationKey } from '../../server/cluster/busMessages.ts'
import { CLUSTER_TEST_TIMEOUT_MS, untilHealth, useCluster } from '../helpers/cluster.ts'
import { createWorkshop, workshopFetch } from '../helpers/startServer.ts'

const cluster = useCluster()

test('[S39] deleting a workshop deletes its sensitivity generation key on Redis and leaves the others', async () => {
  const env = await cluster.env()
  const a = await cluster.start(env)
  const redis = new Redis(cluster.redis().url)
  try {
    // The sensitivity route raises the key only while the instance's Redis link is up.
    await untilHealth(a, (health) => health['fanout'] === 'redis', 'the instance to use Redis')
    const [deleted, kept] = [await createWorkshop(a.url), await createWorkshop(a.url)]
    for (const workshop of [deleted, kept]) {
      const response = await workshopFetch(`${a.url}/api/workshops/${workshop.id}/sensitivity`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ fields: { 'stakeholder.notes': 'visible' } }),
      })
      expect(response.status).toBe(200)
    }
    const keptBefore = await redis.get(sensitivityGenerationKey(kept.id))
    expect(await redis.exists(sensitivityGenerationKey(deleted.id))).toBe(1)
    expect(keptBefore).not.toBeNull()

    expect((await workshopFetch(`${a.url}/api/workshops/${deleted.id}`, { method: 'DELETE' })).status).toBe(204)

    expect(await redis.exists(sensitivityGenerationKey(deleted.id))).toBe(0)
    expect(await redis.get(sensitivityGenerationKey(kept.id))).toBe(keptBefore)
  } finally {
    redis.disconnect()
  }
}, CLUSTER_TEST_TIMEOUT_MS)
