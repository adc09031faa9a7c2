import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ORG_KEY_FILE, TOKEN_SECRET_FILE, loadSecrets, orgKeyMatches } from '../../server/auth/secrets.ts'

let dataDir: string
const mode = (file: string) => fs.statSync(path.join(dataDir, file)).mode & 0o777

beforeEach(() => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyplan-secrets-'))
})
afterEach(() => {
  fs.rmSync(dataDir, { recursive: true, force: true })
})

describe('[A8][A9] secrets in DATA_DIR', () => {
  it('names the file, not the variable, for a bad org-key file; the variable for a bad KEYPLAN_ORG_KEY (QA q32b)', () => {
    fs.writeFileSync(path.join(dataDir, ORG_KEY_FILE), 'short\n')
    const announce = () => {}
    expect(() => loadSecrets({ dataDir, announce })).toThrow(/^org-key in DATA_DIR is invalid: must be at least 16 characters$/)
    expect(() => loadSecrets({ dataDir, announce })).not.toThrow(/KEYPLAN_ORG_KEY/)
    expect(() => loadSecrets({ dataDir, announce, orgKeyFromEnv: 'a passphrase with spaces' })).toThrow(/KEYPLAN_ORG_KEY: must be printable ASCII characters without spaces/)
  })

  it('generates both secrets with mode 0600, announces the org key once, never the token secret', () => {
    const lines: string[] = []
    const first = loadSecrets({ dataDir, announce: (line) => lines.push(line) })

    expect(mode(ORG_KEY_FILE)).toBe(0o600)
    expect(mode(TOKEN_SECRET_FILE)).toBe(0o600)
    expect(first.orgKeyFromEnv).toBe(false)
    expect(first.orgKey.length).toBeGreaterThanOrEqual(32)
    expect(first.tokenKeys).toEqual([{ kid: 'local', secret: expect.any(Uint8Array) }])
    expect(first.tokenKeys[0].secret.length).toBe(32)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(first.orgKey)
    expect(lines.join('\n')).not.toContain(fs.readFileSync(path.join(dataDir, TOKEN_SECRET_FILE), 'utf8').trim())
    // No temp files left behind.
    expect(fs.readdirSync(dataDir).sort()).toEqual([ORG_KEY_FILE, TOKEN_SECRET_FILE].sort())

    const again = loadSecrets({ dataDir, announce: (line) => lines.push(line) })
    expect(again.orgKey).toBe(first.orgKey)
    expect(again.tokenKeys[0].secret).toEqual(first.tokenKeys[0].secret)
    expect(lines).toHaveLength(1)
  })

  it('KEYPLAN_ORG_KEY overrides: no org-key file, nothing announced, token secret still stored', () => {
    const lines: string[] = []
    const secrets = loadSecrets({ dataDir, orgKeyFromEnv: 'correct-horse-battery-staple', announce: (l) => lines.push(l) })
    expect(secrets).toMatchObject({ orgKey: 'correct-horse-battery-staple', orgKeyFromEnv: true })
    expect(lines).toEqual([])
    expect(fs.existsSync(path.join(dataDir, ORG_KEY_FILE))).toBe(false)
    expect(mode(TOKEN_SECRET_FILE)).toBe(0o600)
  })

  it('an empty KEYPLAN_ORG_KEY means unset; a weak one fails fast with a readable message', () => {
    expect(loadSecrets({ dataDir, orgKeyFromEnv: '', announce: () => {} }).orgKeyFromEnv).toBe(false)
    expect(() => loadSecrets({ dataDir, orgKeyFromEnv: 'short', announce: () => {} })).toThrow(/at least 16 characters/)
    expect(() => loadSecrets({ dataDir, orgKeyFromEnv: 'has spaces in the key', announce: () => {} })).toThrow(
      /without spaces/,
    )
  })

  it('narrows a secret file someone made world-readable back to 0600', () => {
    loadSecrets({ dataDir, announce: () => {} })
    fs.chmodSync(path.join(dataDir, ORG_KEY_FILE), 0o644)
    loadSecrets({ dataDir, announce: () => {} })
    expect(mode(ORG_KEY_FILE)).toBe(0o600)
  })

  it('refuses a corrupt secret file instead of replacing it', () => {
    fs.writeFileSync(path.join(dataDir, TOKEN_SECRET_FILE), 'short', { mode: 0o600 })
    expect(() => loadSecrets({ dataDir, announce: () => {} })).toThrow(/token-secret in DATA_DIR is invalid/)
  })

  it('four processes starting at once agree on one key, announced by exactly one of them', async () => {
    const run = promisify(execFile)
    const script = `import { loadSecrets } from ${JSON.stringify(path.resolve('server/auth/secrets.ts'))};
      const s = loadSecrets({ dataDir: ${JSON.stringify(dataDir)} });
      process.stderr.write(s.orgKey)`
    const results = await Promise.all(
      [1, 2, 3, 4].map(() => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])),
    )
    const keys = new Set(results.map((r) => r.stderr))
    expect(keys.size).toBe(1)
    const announced = results.filter((r) => r.stdout.includes('Organisation key'))
    expect(announced).toHaveLength(1)
    expect(fs.readdirSync(dataDir).sort()).toEqual([ORG_KEY_FILE, TOKEN_SECRET_FILE].sort())
  })
})

describe('[A8] organisation key comparison', () => {
  it('matches only the exact key', () => {
    expect(orgKeyMatches('correct-horse-battery-staple', 'correct-horse-battery-staple')).toBe(true)
    expect(orgKeyMatches('correct-horse-battery-staple', 'correct-horse-battery-stapl')).toBe(false)
    expect(orgKeyMatches('correct-horse-battery-staple', '')).toBe(false)
  })
})
