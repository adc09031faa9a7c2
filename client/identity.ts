import { CONTROL_LIMITS, DisplayNameSchema } from '../shared/control.ts'
import { participantKeyId } from '../shared/participantKey.ts'
import { onStoredInOtherTab } from './otherTabs.ts'

/**
 * Who is at this browser: a stable tldraw user id, a display name and a colour, remembered in
 * localStorage so a reload (or the next workshop) keeps them.
 */

const USER_ID_KEY = 'keyplan:userId'
const PARTICIPANT_KEY = 'keyplan:participantKey'
const NAME_KEY = 'keyplan:displayName'

/** Longest display name we keep; longer names are cut (the server's limit). */
export const MAX_NAME_LENGTH = CONTROL_LIMITS.maxNameLength

/** Cursor and avatar colours, readable on the white canvas. */
const PALETTE = ['#1f6feb', '#d1242f', '#1a7f37', '#8250df', '#bf3989', '#bc4c00', '#0a7d91', '#6639ba', '#9a6700']

function storage(): Storage | null {
  try {
    return window.localStorage
  } catch {
    // Storage can be disabled (privacy settings); the app still works without remembering.
    return null
  }
}

/**
 * A random (version 4) UUID. `crypto.randomUUID` exists only in secure contexts (https, localhost):
 * over plain http on a team's network (README, `HOST=0.0.0.0`) it is missing, and every board page
 * was blank (QA q35b). `crypto.getRandomValues` exists everywhere.
 */
export function randomUuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID()
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The browser's tldraw user id (`user:…`), created once. */
export function getUserId(): string {
  const store = storage()
  const existing = store?.getItem(USER_ID_KEY)
  if (existing?.startsWith('user:')) return existing
  const id = `user:${randomUuid()}`
  store?.setItem(USER_ID_KEY, id)
  return id
}

/** The participant secret this page uses: one for the page's life, even without localStorage. */
let pageKey: string | undefined

/**
 * This browser's participant secret (32 URL-safe characters), created once. The sync connection
 * sends it beside the user id, which everyone sees in presence: the server keeps the Yjs client ids
 * this browser wrote with for whoever presents the same secret (docs/server-rules.md [S29]), and a
 * guest deletes only records stamped with its key id ([R7]). Never shown or shared. Read once per
 * page: the stamps it writes and the key its connections present must be the same.
 */
export function getParticipantKey(): string {
  if (pageKey !== undefined) return pageKey
  const store = storage()
  const existing = store?.getItem(PARTICIPANT_KEY)
  if (existing && /^[A-Za-z0-9_-]{32}$/.test(existing)) return (pageKey = existing)
  const bytes = crypto.getRandomValues(new Uint8Array(24))
  const key = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_')
  store?.setItem(PARTICIPANT_KEY, key)
  return (pageKey = key)
}

/** The IndexedDB database where the key is kept beside the boards' offline copies ([S29]). */
const KEY_DB = 'keyplan:identity'
const KEY_STORE = 'keys'
/** Longest the page waits for IndexedDB before it starts without it (a blocked open never answers). */
const KEY_DB_WAIT_MS = 1_000

/** Runs `use` on the identity database; resolves with its answer, or undefined if IndexedDB fails or is slow. */
function withKeyDb<T>(use: (store: IDBObjectStore, done: (value: T) => void) => void, mode: IDBTransactionMode): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), KEY_DB_WAIT_MS)
    const finish = (value: T | undefined) => {
      clearTimeout(timer)
      resolve(value)
    }
    try {
      const open = indexedDB.open(KEY_DB, 1)
      open.onupgradeneeded = () => open.result.createObjectStore(KEY_STORE)
      open.onerror = () => finish(undefined)
      open.onsuccess = () => {
        const db = open.result
        const tx = db.transaction(KEY_STORE, mode)
        tx.onerror = () => finish(undefined)
        use(tx.objectStore(KEY_STORE), (value) => {
          tx.oncomplete = () => db.close()
          finish(value)
        })
      }
    } catch {
      // IndexedDB can be disabled (privacy settings); the key then lives in localStorage alone.
      finish(undefined)
    }
  })
}

/**
 * Keeps the participant secret in IndexedDB as well as in localStorage, and takes it back from there
 * when localStorage lost it: the boards' offline edits live in IndexedDB, and the server accepts
 * them only from the key that wrote them (docs/server-rules.md [S29]), so wherever those edits
 * survive, so does their key. Call once before the page connects.
 */
export async function keepParticipantKey(): Promise<void> {
  const stored = await withKeyDb<unknown>((store, done) => {
    const read = store.get(PARTICIPANT_KEY)
    read.onsuccess = () => done(read.result)
  }, 'readonly')
  const local = storage()?.getItem(PARTICIPANT_KEY)
  const valid = (key: unknown): key is string => typeof key === 'string' && /^[A-Za-z0-9_-]{32}$/.test(key)
  if (!valid(local) && valid(stored) && pageKey === undefined) {
    storage()?.setItem(PARTICIPANT_KEY, stored)
    pageKey = stored
  }
  const key = getParticipantKey()
  if (stored !== key) await withKeyDb<true>((store, done) => (store.put(key, PARTICIPANT_KEY).onsuccess = () => done(true)), 'readwrite')
}

/** The public id of this browser's secret ([R5]): what the creator stamps of its records name. */
export function getParticipantKeyId(): string {
  return participantKeyId(getParticipantKey())
}

/**
 * A tidy display name: single spaces, no control or format characters (the server refuses them),
 * trimmed, at most {@link MAX_NAME_LENGTH} characters.
 */
export function cleanName(name: string): string {
  return name.replace(/\s+/g, ' ').replace(/[\p{Cc}\p{Cf}]/gu, '').trim().slice(0, MAX_NAME_LENGTH).trim()
}

/** Why `input` cannot be a display name as typed, or the name it makes (single spaces, trimmed). */
export function checkName(input: string): { ok: true; name: string } | { ok: false; message: string } {
  const spaced = input.replace(/\s+/g, ' ').trim()
  if (spaced === '') return { ok: false, message: 'Enter a name.' }
  if (spaced.length > MAX_NAME_LENGTH) return { ok: false, message: `At most ${MAX_NAME_LENGTH} characters.` }
  const parsed = DisplayNameSchema.safeParse(spaced)
  return parsed.success ? { ok: true, name: parsed.data } : { ok: false, message: 'Names cannot contain control characters.' }
}

/** The remembered display name, or null when the person has not given one yet. */
export function getStoredName(): string | null {
  const name = cleanName(storage()?.getItem(NAME_KEY) ?? '')
  return name === '' ? null : name
}

/** Remembers the display name for the next visit. */
export function storeName(name: string): void {
  storage()?.setItem(NAME_KEY, cleanName(name))
}

/**
 * Calls `onName` with the display name another tab of this browser stores (a rename there: one
 * person, one name in every tab); returns the function that stops.
 */
export function onStoredNameChange(onName: (name: string) => void): () => void {
  return onStoredInOtherTab(NAME_KEY, (value) => {
    const name = cleanName(value)
    if (name !== '') onName(name)
  })
}

/** This browser's person as the room and the boards know them, once they have a name. */
export function browserUser(name: string | null): { id: string; name: string; color: string } | null {
  if (!name) return null
  const id = getUserId()
  return { id, name, color: colorForUser(id) }
}

/** A colour derived from the user id, so a person keeps their colour across boards. */
export function colorForUser(userId: string): string {
  let hash = 0
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) | 0
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#1f6feb'
}

/** Initials for an avatar: first letters of the first two words. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean)
  return words.slice(0, 2).map((word) => word[0]?.toUpperCase() ?? '').join('') || '?'
}
