/**
 * Shapes of the REST API under `/api`, shared by the server (validation) and the client (parsing).
 */
import { z } from 'zod'
import { lazySchema } from './lazySchema.ts'
import { LinkTtlDaysSchema, WorkshopLinksSchema } from './access.ts'
import { BOARD_IDS, BOARD_TITLES, BoardIdSchema, type BoardId } from './boards.ts'
import { TimeZoneSchema } from './timeZone.ts'

/** Longest account name accepted, in characters. */
export const MAX_ACCOUNT_LENGTH = 120
/** Longest workshop title accepted, in characters. */
export const MAX_TITLE_LENGTH = 200

/**
 * A line of text someone typed into a name or title: trimmed, at most `max` characters, and no
 * control character (C0, DEL or C1: `\p{Cc}`). PostgreSQL's text columns refuse NUL, so one
 * slipped past here was a 500 on that store and a stored oddity on SQLite; tabs and line breaks
 * have no place in a one-line name either. Chain `.min(1, ...)` where the text is required.
 *
 * @example `lineOfText('title', MAX_TITLE_LENGTH).min(1, 'title must not be empty')`
 */
export function lineOfText(what: string, max: number) {
  return z
    .string()
    .trim()
    .max(max)
    .regex(/^\P{Cc}*$/u, `${what} must not contain control characters`)
}

/** An account name as stored: trimmed, each run of spaces one space ("Northwind   Logistics" is "Northwind Logistics"). */
export function normalAccountName(name: string): string {
  return name.trim().replace(/\s+/gu, ' ')
}

/**
 * The form of an account name two names share when they name one account ([K1], [K2]): runs of
 * spaces as one, composed, lower case in every script ("ÉLECTRICITÉ  Test" and "électricité test").
 */
export function foldAccountName(name: string): string {
  return normalAccountName(name).normalize('NFC').toLowerCase()
}

/** An account's name: a line of text, not empty, {@link normalAccountName} (names match ignoring case, [K2]). */
export function accountName(what: string) {
  return lineOfText(what, MAX_ACCOUNT_LENGTH).min(1, `${what} must not be empty`).transform(normalAccountName)
}

/**
 * Body of `POST /api/workshops` (with `Authorization: Bearer <organisation key>`). Both texts are
 * trimmed and must not be empty; `linkTtlDays` is how long the invite links stay valid
 * (`DEFAULT_LINK_TTL_DAYS` when absent); `timeZone` is the IANA zone whose calendar date decides
 * which actions are overdue (`DEFAULT_TIME_ZONE`, UTC, when absent; the app sends the browser's).
 *
 * @example `{ "account": "Acme Corp", "title": "FY27 planning", "linkTtlDays": 14, "timeZone": "Europe/Berlin" }`
 */
export const CreateWorkshopBodySchema = lazySchema(() => z.strictObject({
  account: accountName('account'),
  title: lineOfText('title', MAX_TITLE_LENGTH).min(1, 'title must not be empty'),
  linkTtlDays: LinkTtlDaysSchema.optional(),
  timeZone: TimeZoneSchema.optional(),
}))
export type CreateWorkshopBody = z.infer<typeof CreateWorkshopBodySchema>

/** Query of `GET /api/workshops/:id/account-name?name=`: the account name a facilitator typed. */
export const AccountNameQuerySchema = lazySchema(() => z.strictObject({ name: accountName('name') }))

/**
 * Answer of `GET /api/workshops/:id/account-name`: the account a workshop filed under `name` would
 * be under ([K2]): an existing one (its own spelling, and whether it is archived, which takes no
 * workshop), or a new one of that name.
 */
export const AccountNameMatchSchema = lazySchema(() => z.object({ name: z.string(), exists: z.boolean(), archived: z.boolean() }))
export type AccountNameMatch = z.infer<typeof AccountNameMatchSchema>

/**
 * Body of `PATCH /api/workshops/:id` (facilitator): any of the workshop's account and title
 * (trimmed, not empty, as at creation), its IANA time zone (canonicalised; snapshots taken
 * afterwards judge overdue actions by the new zone, stored snapshots keep theirs), and whether it
 * is archived (hidden from the lobby's list, every board read-only; `false` brings it back). At
 * least one field. Stored snapshots keep the account and title they were taken with.
 *
 * @example `{ "timeZone": "America/New_York" }`, `{ "account": "Globex", "title": "FY28" }`, `{ "archived": true }`
 */
export const UpdateWorkshopBodySchema = lazySchema(() => z
  .strictObject({
    account: CreateWorkshopBodySchema.shape.account.optional(),
    title: CreateWorkshopBodySchema.shape.title.optional(),
    timeZone: TimeZoneSchema.optional(),
    archived: z.boolean().optional(),
  })
  .refine((body) => Object.values(body).some((value) => value !== undefined), 'give at least one of account, title, timeZone, archived'))
export type UpdateWorkshopBody = z.infer<typeof UpdateWorkshopBodySchema>

/** A workshop id: URL-safe random characters (base64url alphabet). */
export const WorkshopIdSchema = lazySchema(() => z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'invalid workshop id'))
export type WorkshopId = z.infer<typeof WorkshopIdSchema>

/** One board of a workshop as the API lists it. */
export const BoardSummarySchema = lazySchema(() => z.object({
  id: BoardIdSchema,
  title: z.string(),
}))
export type BoardSummary = z.infer<typeof BoardSummarySchema>

/** A workshop as returned by `GET /api/workshops[/:id]` and `POST /api/workshops`. */
export const WorkshopSchema = lazySchema(() => z.object({
  id: WorkshopIdSchema,
  account: z.string(),
  title: z.string(),
  /** ISO 8601 timestamp. */
  createdAt: z.iso.datetime(),
  /** IANA time zone: its calendar date decides which actions are overdue in a snapshot. */
  timeZone: z.string(),
  /** When the facilitator archived it; absent while it is not archived. */
  archivedAt: z.iso.datetime().optional(),
  boards: z.array(BoardSummarySchema),
}))
export type Workshop = z.infer<typeof WorkshopSchema>

/** Body of the `201` answer to `POST /api/workshops`: the workshop and its four invite links. */
export const CreatedWorkshopSchema = lazySchema(() => WorkshopSchema.extend({ links: WorkshopLinksSchema }))
export type CreatedWorkshop = z.infer<typeof CreatedWorkshopSchema>

/**
 * Query of `GET /api/workshops`: the lobby lists the workshops in use; `?archived=true` lists the
 * archived ones instead.
 */
export const WorkshopListQuerySchema = lazySchema(() => z.object({ archived: z.enum(['true', 'false']).default('false') }))

/** Body of `GET /api/workshops`: newest first. */
export const WorkshopListSchema = lazySchema(() => z.object({ workshops: z.array(WorkshopSchema) }))
export type WorkshopList = z.infer<typeof WorkshopListSchema>

/** The boards every workshop has, with their titles, in switcher order. */
export function workshopBoards(): BoardSummary[] {
  return BOARD_IDS.map((id: BoardId) => ({ id, title: BOARD_TITLES[id] }))
}

/** Body of every 4xx/5xx response of the API. */
export const ApiErrorSchema = lazySchema(() => z.object({
  error: z.object({
    /** Stable, machine-readable: `invalid_body`, `not_found`, `unsupported_media_type`, ... */
    code: z.string(),
    /** Human-readable, safe to show. */
    message: z.string(),
  }),
}))
export type ApiError = z.infer<typeof ApiErrorSchema>
