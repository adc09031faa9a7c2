/**
 * A board's history on a server that runs as a child process ([H10] tests kill it): a team
 * member's page that writes one note as the browser does, and the history's REST routes.
 *
 * @example
 * ```ts
 * const page = await journaledNote(child.syncUrl, workshop, 'Ada', 'shape:n1', () => journalHasRow())
 * const { changes } = await readChanges(child.url, workshop)
 * ```
 */
import type { JsonObject } from '@tldraw/utils'
import { expect } from 'vitest'
import { mergedPartsSource } from '../../client/board/internalParts.ts'
import { readOverlays, readRecords } from '../../shared/docLayout.ts'
import { ChangeListSchema, RevertResultSchema, type ChangeList, type RevertResult } from '../../shared/historyApi.ts'
import { mergeParts, resolveSensitivity } from '../../shared/sensitivity.ts'
import { connectSynced, type TestClient } from './clients.ts'
import { note } from './planBoards.ts'
import type { TestWorkshop } from './startServer.ts'

/** Polls `check` every 50 ms until it is true; rejects after `timeoutMs` (a safety net, not a timing assertion). */
export async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

/** Both documents of the workshop's SWOT board with the team token, as `name`'s page opens them. */
async function teamPage(syncUrl: string, workshop: TestWorkshop, name: string): Promise<{ shared: TestClient; internal: TestClient; destroy(): void }> {
  const params = { token: workshop.tokens.team, user: `user:${name.toLowerCase().replace(/\W+/g, '-')}` }
  const shared = await connectSynced(syncUrl, `${workshop.id}/swot`, { params })
  const internal = await connectSynced(syncUrl, `${workshop.id}/swot/internal`, { params })
  return {
    shared,
    internal,
    destroy() {
      internal.destroy()
      shared.destroy()
    },
  }
}

/**
 * `name`'s page (team role, named in presence) writes note `id` on the SWOT board, as the page
 * routes it, and stays open until `journaled` says the server journaled the change.
 */
export async function journaledNote(
  syncUrl: string,
  workshop: TestWorkshop,
  name: string,
  id: string,
  journaled: () => boolean | Promise<boolean>,
): Promise<{ destroy(): void }> {
  const page = await teamPage(syncUrl, workshop, name)
  page.shared.provider.awareness.setLocalStateField('presence', { userName: name })
  const source = mergedPartsSource(page.shared.doc, page.internal.doc, () => resolveSensitivity(undefined))
  source.write({ put: [note(id, { x: 100, y: 100 }, 'Written just before the crash') as unknown as JsonObject], remove: [] }, undefined) // tldraw records are JSON
  await until(journaled, `the open change of ${id} to be journaled`)
  return page
}

/** The newest page of the SWOT board's history, read by the facilitator. */
export async function readChanges(url: string, workshop: TestWorkshop): Promise<ChangeList> {
  const response = await fetch(`${url}/api/workshops/${workshop.id}/boards/swot/changes`, { headers: { authorization: `Bearer ${workshop.tokens.facilitator}` } })
  expect(response.status).toBe(200)
  return ChangeListSchema.parse(await response.json())
}

/** Reverts change `changeId` of the SWOT board as the facilitator ([H4]). */
export async function revertChange(url: string, workshop: TestWorkshop, changeId: string): Promise<RevertResult> {
  const response = await fetch(`${url}/api/workshops/${workshop.id}/boards/swot/changes/${changeId}/revert`, {
    method: 'POST',
    headers: { authorization: `Bearer ${workshop.tokens.facilitator}`, 'content-type': 'application/json' },
  })
  expect(response.status).toBe(200)
  return RevertResultSchema.parse(await response.json())
}

/** The SWOT board as a team member's page sees it now (both documents merged). */
export async function boardRecords(syncUrl: string, workshop: TestWorkshop): Promise<Map<string, JsonObject>> {
  const page = await teamPage(syncUrl, workshop, 'Reader')
  try {
    return mergeParts(readRecords(page.shared.doc), readRecords(page.internal.doc), readOverlays(page.internal.doc), resolveSensitivity(undefined))
  } finally {
    page.destroy()
  }
}
