import type { z } from 'zod'
import { SensitivityViewSchema, type SensitivityOverrides, type SensitivityView } from '../shared/sensitivity.ts'
import {
  AccountListSchema,
  AccountOverviewSchema,
  AccountSchema,
  AccountTimelineSchema,
  AccountWorkshopListSchema,
  SinceLastWorkshopSchema,
  WorkshopTimelineSchema,
  type Account,
  type AccountOverview,
  type AccountTimeline,
  type CreateAccountBody,
  type WorkshopTimeline,
  type CreateAccountWorkshopBody,
  type SinceLastWorkshop,
  type UpdateAccountBody,
} from '../shared/accounts.ts'
import {
  WorkshopAccessViewSchema,
  WorkshopLinksResponseSchema,
  type RevokeLinksBody,
  type WorkshopAccessView,
  type WorkshopLinks,
} from '../shared/access.ts'
import {
  AccountNameMatchSchema,
  ApiErrorSchema,
  type AccountNameMatch,
  CreatedWorkshopSchema,
  WorkshopListSchema,
  WorkshopSchema,
  type CreateWorkshopBody,
  type UpdateWorkshopBody,
  type CreatedWorkshop,
  type Workshop,
} from '../shared/api.ts'
import type { BoardId } from '../shared/boards.ts'
import { ChangeListSchema, RevertResultSchema, type ChangeList, type RevertResult } from '../shared/historyApi.ts'
import { PlanViewSchema, type PlanSummary, type PlanView } from '../shared/plan.ts'
import { PlanDiffSchema, type PlanDiff } from '../shared/planDiff.ts'
import { BoardSettingsSchema, type BoardSettings, type BoardSettingsChange, type Role } from '../shared/roles.ts'
import {
  LinkTargetsSchema,
  LiveHealthSchema,
  RestoreResultSchema,
  SnapshotBoardSchema,
  SnapshotListSchema,
  type LinkTargets,
  type LiveHealth,
  type CreateSnapshotBody,
  type RestoreResult,
  type SeenVersion,
  type SnapshotBoard,
} from '../shared/snapshotApi.ts'
import { authorizationFor, orgKey, rememberWorkshopToken, tokenOfLink } from './credentials.ts'
import { dispositionFileName } from '../shared/exportName.ts'

/** An API call that failed: the server's error code and message, or a network/parse failure. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message)
    this.name = 'ApiRequestError'
  }
}

async function send(path: string, accept: string, init?: RequestInit): Promise<Response> {
  let response: Response
  try {
    response = await fetch(path, { ...init, headers: { accept, ...authorizationFor(path), ...init?.headers } })
  } catch {
    throw new ApiRequestError(0, 'network_error', 'Cannot reach the Keyplan server. Check your connection.')
  }
  if (!response.ok) {
    const parsed = ApiErrorSchema.safeParse(await response.json().catch(() => null))
    if (parsed.success) throw new ApiRequestError(response.status, parsed.data.error.code, parsed.data.error.message)
    throw new ApiRequestError(response.status, 'http_error', `The server answered ${response.status}.`)
  }
  return response
}

async function request<S extends z.ZodType>(schema: S, path: string, init?: RequestInit): Promise<z.infer<S>> {
  const response = await send(path, 'application/json', init)
  const body: unknown = await response.json().catch(() => null)
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    throw new ApiRequestError(response.status, 'invalid_response', 'The server sent an unexpected response.')
  }
  return parsed.data
}

/** Recent workshops, newest first; the archived ones instead when `archived`. */
export async function listWorkshops(signal?: AbortSignal, archived = false): Promise<Workshop[]> {
  const list = await request(WorkshopListSchema, archived ? '/api/workshops?archived=true' : '/api/workshops', { signal })
  return list.workshops
}

/** One workshop with its boards. */
export function getWorkshop(id: string, signal?: AbortSignal): Promise<Workshop> {
  return request(WorkshopSchema, `/api/workshops/${encodeURIComponent(id)}`, { signal })
}

/** The account a rename of the workshop's account to `name` would file it under (facilitator). */
export function matchAccountName(id: string, name: string, signal?: AbortSignal): Promise<AccountNameMatch> {
  return request(AccountNameMatchSchema, `/api/workshops/${encodeURIComponent(id)}/account-name?${new URLSearchParams({ name })}`, { signal })
}

/**
 * Changes the workshop's account, title, time zone or archived state (facilitator); the server
 * answers with the changed workshop.
 */
export function updateWorkshop(id: string, body: UpdateWorkshopBody): Promise<Workshop> {
  return request(WorkshopSchema, `/api/workshops/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** Deletes the workshop for good, with its boards and snapshots (facilitator). */
export async function deleteWorkshop(id: string): Promise<void> {
  await send(`/api/workshops/${encodeURIComponent(id)}`, 'application/json', { method: 'DELETE' })
}

/**
 * Creates a workshop (with the organisation key); the server seeds its boards' templates and
 * returns the invite links. This browser keeps the facilitator's token.
 */
export async function createWorkshop(body: CreateWorkshopBody): Promise<CreatedWorkshop> {
  const created = await request(CreatedWorkshopSchema, '/api/workshops', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  rememberWorkshopToken(created.id, tokenOfLink(created.links.facilitator))
  return created
}

/** The portfolio: every account (the archived ones instead when `archived`), by name. */
export async function listAccounts(signal?: AbortSignal, archived = false): Promise<AccountOverview[]> {
  return (await request(AccountListSchema, archived ? '/api/accounts?archived=true' : '/api/accounts', { signal })).accounts
}

/** The account's workshops, newest first (`GET /api/accounts/:id/workshops`). */
export async function listAccountWorkshops(accountId: string, signal?: AbortSignal): Promise<Workshop[]> {
  return (await request(AccountWorkshopListSchema, `/api/accounts/${encodeURIComponent(accountId)}/workshops`, { signal })).workshops
}

/** A new account ([K1]); a name taken ignoring case answers 409 `account_exists`. */
export function createAccount(body: CreateAccountBody): Promise<Account> {
  return request(AccountSchema, '/api/accounts', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** The account's snapshots across its workshops, newest first, unchanged automatic ones collapsed ([K8]). */
export function getAccountTimeline(accountId: string, signal?: AbortSignal): Promise<AccountTimeline> {
  return request(AccountTimelineSchema, `/api/accounts/${encodeURIComponent(accountId)}/snapshots`, { signal })
}

/** What changed from `olderId` to `newerId`, two snapshots of the account in any of its workshops ([K6]). */
export function getAccountDiff(accountId: string, newerId: string, olderId: string, signal?: AbortSignal): Promise<PlanDiff> {
  const query = new URLSearchParams({ newer: newerId, older: olderId })
  return request(PlanDiffSchema, `/api/accounts/${encodeURIComponent(accountId)}/diff?${query}`, { signal })
}

/** Changes an account's fields or criteria (criteria merge, [K3]). */
export function updateAccount(accountId: string, body: UpdateAccountBody): Promise<AccountOverview> {
  return request(AccountOverviewSchema, `/api/accounts/${encodeURIComponent(accountId)}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/**
 * A new workshop of an account, blank or from its last plan (docs/accounts.md [K7]); this browser
 * keeps the facilitator's token.
 */
export async function createAccountWorkshop(accountId: string, body: Partial<CreateAccountWorkshopBody> & { title: string }): Promise<CreatedWorkshop> {
  const created = await request(CreatedWorkshopSchema, `/api/accounts/${encodeURIComponent(accountId)}/workshops`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  rememberWorkshopToken(created.id, tokenOfLink(created.links.facilitator))
  return created
}

/** The workshop's snapshots grouped as the timeline shows them: unchanged automatic ones collapsed ([K8]). */
export function getWorkshopTimeline(workshopId: string, signal?: AbortSignal): Promise<WorkshopTimeline> {
  return request(WorkshopTimelineSchema, workshopPath(workshopId, 'timeline'), { signal })
}

/** Names or renames a snapshot (facilitator); an empty name removes it ([K9]). */
export async function renameSnapshot(workshopId: string, snapshotId: string, label: string): Promise<void> {
  await send(snapshotsPath(workshopId, snapshotId), 'application/json', {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ label }),
  })
}

/** Deletes an unnamed automatic snapshot (facilitator; manual and named ones are kept, [K9]). */
export async function deleteSnapshot(workshopId: string, snapshotId: string): Promise<void> {
  await send(snapshotsPath(workshopId, snapshotId), 'application/json', { method: 'DELETE' })
}

/** What changed from the account's previous workshop to this snapshot ([K6]). */
export function getSinceLastWorkshop(workshopId: string, snapshotId: string, signal?: AbortSignal): Promise<SinceLastWorkshop> {
  return request(SinceLastWorkshopSchema, snapshotsPath(workshopId, snapshotId, 'since-last-workshop'), { signal })
}

/**
 * Makes this browser the facilitator of a workshop listed in the lobby: fetches its links with the
 * organisation key and keeps the facilitator's token.
 */
export async function joinAsFacilitator(workshopId: string): Promise<void> {
  // With the organisation key, not a token this browser holds (another role's, or revoked).
  const key = orgKey()
  const { links } = await request(WorkshopLinksResponseSchema, `/api/workshops/${encodeURIComponent(workshopId)}/links`, key === undefined ? undefined : { headers: { authorization: `Bearer ${key}` } })
  rememberWorkshopToken(workshopId, tokenOfLink(links.facilitator))
}

function snapshotsPath(workshopId: string, ...rest: string[]): string {
  return [`/api/workshops/${encodeURIComponent(workshopId)}/snapshots`, ...rest.map(encodeURIComponent)].join('/')
}

/** The plan health as the boards are now (403 for a guest while any board is internal). */
export function getLiveHealth(workshopId: string, signal?: AbortSignal): Promise<LiveHealth> {
  return request(LiveHealthSchema, `/api/workshops/${encodeURIComponent(workshopId)}/health`, { signal })
}

/** What the link pickers offer: `customer`, as a guest's page has them (docs/security.md [A42]). */
export function getLinkTargets(workshopId: string, view: 'team' | 'customer', signal?: AbortSignal): Promise<LinkTargets> {
  return request(LinkTargetsSchema, `/api/workshops/${encodeURIComponent(workshopId)}/link-targets?view=${view}`, { signal })
}

/** The workshop's snapshots, newest first. */
export async function listSnapshots(workshopId: string, signal?: AbortSignal): Promise<PlanSummary[]> {
  const list = await request(SnapshotListSchema, snapshotsPath(workshopId), { signal })
  return list.snapshots.toSorted((a, b) => Date.parse(b.takenAt) - Date.parse(a.takenAt))
}

/** One snapshot's plan; sections the caller's role may not see are absent. */
export function getSnapshot(workshopId: string, snapshotId: string, signal?: AbortSignal): Promise<PlanView> {
  return request(PlanViewSchema, snapshotsPath(workshopId, snapshotId), { signal })
}

/** Takes a snapshot of every board now (facilitator). */
/**
 * Saves a snapshot of every board. `seen`: the board documents this page holds ([S42]); the server
 * waits until it holds what they hold, or answers 409 `edits_not_arrived`.
 */
export function saveSnapshot(workshopId: string, label: string | null, seen: SeenVersion[] = []): Promise<PlanView> {
  const body: CreateSnapshotBody = { ...(label ? { label } : {}), ...(seen.length > 0 ? { seen } : {}) }
  return request(PlanViewSchema, snapshotsPath(workshopId), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
}

/** The records of one board at a snapshot, for the read-only canvas. */
export function getSnapshotBoard(workshopId: string, snapshotId: string, board: BoardId, signal?: AbortSignal): Promise<SnapshotBoard> {
  return request(SnapshotBoardSchema, snapshotsPath(workshopId, snapshotId, 'boards', board), { signal })
}

/** What changed from snapshot `olderId` to snapshot `snapshotId`. */
export function getSnapshotDiff(workshopId: string, snapshotId: string, olderId: string, signal?: AbortSignal): Promise<PlanDiff> {
  return request(PlanDiffSchema, snapshotsPath(workshopId, snapshotId, 'diff', olderId), { signal })
}

/**
 * Restores one board to a snapshot (facilitator). The server takes a snapshot of the current
 * state first, so the restore can itself be undone.
 */
export function restoreBoard(workshopId: string, snapshotId: string, board: BoardId, by: string | null): Promise<RestoreResult> {
  return request(RestoreResultSchema, snapshotsPath(workshopId, snapshotId, 'restore'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(by === null ? { board } : { board, by }),
  })
}

/** The export formats of a snapshot. */
export type SnapshotExport = 'pdf' | 'markdown' | 'actions-csv' | 'stakeholders-csv' | 'objectives-csv' | 'whitespace-csv' | 'whitespace-units-csv' | 'competitors-csv' | 'votes-csv' | 'notes-csv' | 'json'

const EXPORTS = {
  pdf: { path: (sid: string) => `${encodeURIComponent(sid)}?format=pdf`, type: 'application/pdf' },
  markdown: { path: (sid: string) => `${encodeURIComponent(sid)}?format=md`, type: 'text/markdown' },
  'actions-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/actions.csv`, type: 'text/csv' },
  'stakeholders-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/stakeholders.csv`, type: 'text/csv' },
  'objectives-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/objectives.csv`, type: 'text/csv' },
  'whitespace-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/whitespace.csv`, type: 'text/csv' },
  'whitespace-units-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/whitespace-units.csv`, type: 'text/csv' },
  'competitors-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/competitors.csv`, type: 'text/csv' },
  'votes-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/votes.csv`, type: 'text/csv' },
  'notes-csv': { path: (sid: string) => `${encodeURIComponent(sid)}/notes.csv`, type: 'text/csv' },
  json: { path: (sid: string) => encodeURIComponent(sid), type: 'application/json' },
} as const satisfies Record<SnapshotExport, { path(sid: string): string; type: string }>

/** A downloaded export: the file's contents and the name the server gave it. */
export interface ExportFile {
  blob: Blob
  fileName: string | null
}

/**
 * One export of a snapshot as a file. Fetched rather than linked, so the request carries the same
 * credentials as every other API call.
 */
export async function fetchSnapshotExport(workshopId: string, snapshotId: string, kind: SnapshotExport): Promise<ExportFile> {
  const { path, type } = EXPORTS[kind]
  const response = await send(`${snapshotsPath(workshopId)}/${path(snapshotId)}`, type)
  return { blob: new Blob([await response.arrayBuffer()], { type }), fileName: dispositionFileName(response.headers.get('content-disposition')) }
}

function workshopPath(workshopId: string, rest: string): string {
  return `/api/workshops/${encodeURIComponent(workshopId)}/${rest}`
}

/** What this browser's token may do in the workshop: its role and the boards it may open. */
export function getAccess(workshopId: string, signal?: AbortSignal): Promise<WorkshopAccessView> {
  return request(WorkshopAccessViewSchema, workshopPath(workshopId, 'access'), { signal })
}

/** The four invite links (facilitator). */
export async function getLinks(workshopId: string, signal?: AbortSignal): Promise<WorkshopLinks> {
  return (await request(WorkshopLinksResponseSchema, workshopPath(workshopId, 'links'), { signal })).links
}

/** Revokes every link of `role` (its open connections are closed) and returns the new links (facilitator). */
export async function revokeLinks(workshopId: string, role: Role): Promise<WorkshopLinks> {
  const body: RevokeLinksBody = { role }
  const { links } = await request(WorkshopLinksResponseSchema, workshopPath(workshopId, 'links/revoke'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return links
}

/** Which card fields and relationship lines are internal (team roles; issue 13). */
export function getSensitivity(workshopId: string, signal?: AbortSignal): Promise<SensitivityView> {
  return request(SensitivityViewSchema, workshopPath(workshopId, 'sensitivity'), { signal })
}

/** Changes which fields are internal (facilitator); values move between the board's documents at once. */
export function putSensitivity(workshopId: string, fields: SensitivityOverrides): Promise<SensitivityView> {
  return request(SensitivityViewSchema, workshopPath(workshopId, 'sensitivity'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields }),
  })
}

/** Which boards are customer-facing. */
export function getBoardSettings(workshopId: string, signal?: AbortSignal): Promise<BoardSettings> {
  return request(BoardSettingsSchema, workshopPath(workshopId, 'settings'), { signal })
}

/**
 * Changes which boards are customer-facing (facilitator): the boards `change` names, the others
 * keep their setting; answers every board's. Guests lose an internal board at once.
 */
export function putBoardSettings(workshopId: string, change: BoardSettingsChange): Promise<BoardSettings> {
  return request(BoardSettingsSchema, workshopPath(workshopId, 'settings'), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(change),
  })
}

function changesPath(workshopId: string, board: BoardId): string {
  return workshopPath(workshopId, `boards/${encodeURIComponent(board)}/changes`)
}

/** One page of a board's change history, newest first; pass the previous page's `nextCursor` for older ones. */
export function listChanges(workshopId: string, board: BoardId, cursor: string | null, signal?: AbortSignal, limit?: number): Promise<ChangeList> {
  const params = new URLSearchParams()
  if (cursor !== null) params.set('cursor', cursor)
  if (limit !== undefined) params.set('limit', String(limit))
  const query = params.size > 0 ? `?${params.toString()}` : ''
  return request(ChangeListSchema, `${changesPath(workshopId, board)}${query}`, { signal })
}

/** Reverts one change of a board as a new change (facilitator); the result lists what was left alone. */
export function revertChange(workshopId: string, board: BoardId, changeId: string, by: string | null): Promise<RevertResult> {
  return request(RevertResultSchema, `${changesPath(workshopId, board)}/${encodeURIComponent(changeId)}/revert`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(by === null ? {} : { by }),
  })
}
