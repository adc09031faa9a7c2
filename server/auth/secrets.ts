/**
 * The server's two secrets (`docs/security.md` [A8], [A9]):
 * - the organisation key, which creates and lists workshops: `KEYPLAN_ORG_KEY` if set, else
 *   generated at first start, stored in `DATA_DIR/org-key` (mode 0600) and printed once;
 * - the token signing keys: `KEYPLAN_TOKEN_SECRET` if set (several keys, for rotation), else one
 *   secret generated at first start, stored in `DATA_DIR/token-secret` (mode 0600), never
 *   printed, with the key id `local`.
 *
 * @example
 * ```ts
 * const secrets = loadSecrets({ dataDir: config.dataDir, orgKeyFromEnv: process.env.KEYPLAN_ORG_KEY })
 * if (!orgKeyMatches(secrets.orgKey, bearer)) return unauthorized()
 * ```
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { z } from 'zod'
import { singleKey, type TokenKeys } from './tokens.ts'
import { makeDataDir } from '../store/makeDataDir.ts'

/** File name of the generated organisation key in `DATA_DIR`. */
export const ORG_KEY_FILE = 'org-key'
/** File name of the token signing secret in `DATA_DIR`. */
export const TOKEN_SECRET_FILE = 'token-secret'

/** An organisation key: long enough not to be guessed, printable, no whitespace. */
export const OrgKeySchema = z
  .string()
  // Worded for the variable and the file alike: each caller names which (QA q32b: a bad org-key
  // file was reported as KEYPLAN_ORG_KEY, which the operator had not set).
  .min(16, 'must be at least 16 characters')
  .max(256, 'must be at most 256 characters')
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII characters without spaces')

const TokenSecretSchema = z.string().regex(/^[A-Za-z0-9_-]{43,}$/, 'token secret file is corrupt')

export type Secrets = {
  orgKey: string
  /** Whether the organisation key came from `KEYPLAN_ORG_KEY` (nothing stored). */
  orgKeyFromEnv: boolean
  /** The keys tokens are signed (the first) and verified with. */
  tokenKeys: TokenKeys
}

export type LoadSecretsOptions = {
  dataDir: string
  /** `KEYPLAN_ORG_KEY`; empty or undefined means unset. */
  orgKeyFromEnv?: string | undefined
  /** `KEYPLAN_TOKEN_SECRET`, parsed; undefined: the generated `token-secret` file. */
  tokenKeysFromEnv?: TokenKeys | undefined
  /** Where the one-time notice of a newly generated organisation key goes; stdout by default. */
  announce?: (line: string) => void
}

/**
 * Reads (or, at first start, creates) the secrets. Throws a readable Error on an invalid
 * `KEYPLAN_ORG_KEY` or a corrupt file. Safe against two processes starting at once: exactly one
 * creates each file (and only that one prints the key).
 */
export function loadSecrets(options: LoadSecretsOptions): Secrets {
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`))
  makeDataDir(options.dataDir)

  const tokenKeys = options.tokenKeysFromEnv ?? fileTokenKeys(options.dataDir)

  if (options.orgKeyFromEnv !== undefined && options.orgKeyFromEnv !== '') {
    const parsed = OrgKeySchema.safeParse(options.orgKeyFromEnv)
    if (!parsed.success) throw new Error(`Invalid environment:\n  KEYPLAN_ORG_KEY: ${parsed.error.issues[0]?.message}`)
    return { orgKey: parsed.data, orgKeyFromEnv: true, tokenKeys }
  }

  const orgKeyPath = path.join(options.dataDir, ORG_KEY_FILE)
  const orgKey = readOrCreate(orgKeyPath, () => randomBytes(24).toString('base64url'))
  const orgKeyText = parseFile(OrgKeySchema, orgKey.value, ORG_KEY_FILE)
  if (orgKey.created) {
    // The only place the key is ever written outside its file; never pass it to the logger.
    announce(`Organisation key (shown once, kept in ${orgKeyPath}): ${orgKeyText}`)
  }
  return { orgKey: orgKeyText, orgKeyFromEnv: false, tokenKeys }
}

/** The generated secret of `DATA_DIR/token-secret` (created at first start), as the key `local`. */
function fileTokenKeys(dataDir: string): TokenKeys {
  const file = readOrCreate(path.join(dataDir, TOKEN_SECRET_FILE), () => randomBytes(32).toString('base64url'))
  return singleKey(new Uint8Array(Buffer.from(parseFile(TokenSecretSchema, file.value, TOKEN_SECRET_FILE), 'base64url')))
}

/** Compares a presented organisation key with the real one in constant time (any lengths). */
export function orgKeyMatches(orgKey: string, presented: string): boolean {
  // Hashing first gives equal-length inputs, so neither the length nor a prefix leaks.
  const a = createHash('sha256').update(orgKey).digest()
  const b = createHash('sha256').update(presented).digest()
  return timingSafeEqual(a, b)
}

function parseFile<T>(schema: z.ZodType<T>, text: string, name: string): T {
  const parsed = schema.safeParse(text.trim())
  if (!parsed.success) throw new Error(`${name} in DATA_DIR is invalid: ${parsed.error.issues[0]?.message}`)
  return parsed.data
}

/**
 * Reads `file`, or creates it with `generate()` atomically: the value is written and fsynced to
 * a private temp file (0600, `wx`), then hard-linked into place. `link` fails if the file exists,
 * so a concurrent starter never overwrites the other's secret, and a crash never leaves a
 * half-written one.
 */
function readOrCreate(file: string, generate: () => string): { value: string; created: boolean } {
  const existing = readPrivate(file)
  if (existing !== undefined) return { value: existing, created: false }

  const temp = `${file}.${randomBytes(6).toString('hex')}.tmp`
  const value = generate()
  const fd = fs.openSync(temp, 'wx', 0o600)
  try {
    fs.fchmodSync(fd, 0o600) // the umask can only narrow the mode, but make it exact
    fs.writeSync(fd, `${value}\n`)
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  try {
    fs.linkSync(temp, file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error // fs errors carry a code
    // Another process created it first: use theirs.
    return { value: readPrivate(file) ?? '', created: false }
  } finally {
    fs.rmSync(temp, { force: true })
  }
  fsyncDir(path.dirname(file))
  return { value, created: true }
}

/** Reads a secret file, first narrowing its mode to 0600 if someone widened it. */
function readPrivate(file: string): string | undefined {
  let stat: fs.Stats
  try {
    stat = fs.statSync(file)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined // fs errors carry a code
    throw error
  }
  if ((stat.mode & 0o077) !== 0) fs.chmodSync(file, 0o600)
  return fs.readFileSync(file, 'utf8')
}

function fsyncDir(dir: string): void {
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}
