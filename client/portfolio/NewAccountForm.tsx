import { useState, type FormEvent } from 'react'
import { MAX_ACCOUNT_LENGTH } from '../../shared/api.ts'
import { CreateAccountBodySchema, type Account, type AccountTier } from '../../shared/accounts.ts'
import { ApiRequestError, createAccount } from '../api.ts'
import { FormError } from '../components/FormError.tsx'

const FIELDS = ['name', 'keyAccountManager', 'executiveSponsor', 'segment'] as const
type Field = (typeof FIELDS)[number]
type FieldErrors = Partial<Record<Field, string>>

const LABELS: Record<Field, string> = {
  name: 'Account name',
  keyAccountManager: 'Key account manager',
  executiveSponsor: 'Executive sponsor',
  segment: 'Segment',
}

function isField(key: unknown): key is Field {
  return FIELDS.some((field) => field === key)
}

/**
 * Errors by field from the same schema the server checks (`CreateAccountBodySchema`), so the
 * form says what is wrong beside the field before anything is sent ([K1], [K11]).
 */
function fieldErrors(body: unknown): FieldErrors {
  const result = CreateAccountBodySchema.safeParse(body)
  const errors: FieldErrors = {}
  for (const issue of result.error?.issues ?? []) {
    const field = issue.path[0]
    if (isField(field)) errors[field] ??= issue.message
  }
  return errors
}

/**
 * Creates an account from the portfolio (docs/accounts.md [K1]): its name, tier, people and
 * segment; criteria are scored afterwards in the account's editor. Validation errors show inline
 * beside their field, from the shared schema and from the server (a taken name, 409).
 */
export function NewAccountForm({ onCreated }: { onCreated(account: Account): void }) {
  const empty = { name: '', keyAccountManager: '', executiveSponsor: '', segment: '' }
  const [draft, setDraft] = useState<Record<Field, string>>(empty)
  const [tier, setTier] = useState<AccountTier>('key')
  const [errors, setErrors] = useState<FieldErrors>({})
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setError(null)
    const body = { ...draft, tier }
    const found = fieldErrors(body)
    setErrors(found)
    if (Object.keys(found).length > 0) return
    setBusy(true)
    try {
      const account = await createAccount(body)
      setDraft(empty)
      setTier('key')
      onCreated(account)
    } catch (e) {
      if (e instanceof ApiRequestError && e.code === 'account_exists') setErrors({ name: e.message })
      else setError(e instanceof ApiRequestError ? e.message : 'Could not create the account.')
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="form new-account" onSubmit={onSubmit} noValidate aria-labelledby="new-account-heading">
      <h3 id="new-account-heading">New account</h3>
      {FIELDS.map((field) => (
        <label className="field" key={field}>
          <span>{LABELS[field]}</span>
          <input
            name={field}
            value={draft[field]}
            maxLength={field === 'name' ? MAX_ACCOUNT_LENGTH : 120}
            aria-invalid={errors[field] ? true : undefined}
            aria-describedby={errors[field] ? `new-account-${field}-error` : undefined}
            onChange={(e) => {
              setDraft({ ...draft, [field]: e.target.value })
              if (errors[field]) setErrors({ ...errors, [field]: undefined })
            }}
          />
          {errors[field] && (
            <small className="field-warning" id={`new-account-${field}-error`} role="alert">
              {errors[field]}
            </small>
          )}
        </label>
      ))}
      <label className="field">
        <span>Tier</span>
        <select name="tier" value={tier} onChange={(e) => setTier(e.target.value === 'strategic' ? 'strategic' : 'key')}>
          <option value="key">Key</option>
          <option value="strategic">Strategic</option>
        </select>
      </label>
      <FormError error={error} />
      <div className="account-editor-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create account'}
        </button>
      </div>
    </form>
  )
}
