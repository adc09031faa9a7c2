import { useEffect, useRef, useState, type FormEvent } from 'react'
import { CRITERIA, CRITERIA_SCALES, INTERNAL_CRITERIA, type AccountOverview, type UpdateAccountBody } from '../../shared/accounts.ts'
import { MAX_ACCOUNT_LENGTH, normalAccountName } from '../../shared/api.ts'
import { ApiRequestError, updateAccount } from '../api.ts'
import { FormError } from '../components/FormError.tsx'

/** The editor's element id, for the Edit button's `aria-controls`. */
export const ACCOUNT_EDITOR_ID = 'account-editor'

/**
 * Edits an account's name (its workshops' pages show the new one at once), tier, people, segment
 * and selection criteria (docs/accounts.md [K1], [K3]),
 * each criterion on its documented 1–5 scale; revenue and profitability are marked internal.
 * It opens below the table: scrolled into view with the focus on its first field.
 */
export function AccountEditor({
  account,
  onSaved,
  onCancel,
  onArchive,
}: {
  account: AccountOverview
  onSaved(account: AccountOverview): void
  onCancel(): void
  /** Archives the account (it leaves the portfolio); rejects with the server's refusal. */
  onArchive(): Promise<void>
}) {
  const [draft, setDraft] = useState({
    name: account.name,
    tier: account.tier,
    keyAccountManager: account.keyAccountManager,
    executiveSponsor: account.executiveSponsor,
    segment: account.segment,
    criteria: { ...account.criteria },
  })
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  // Archiving closes the editor: with changes not saved, it waits until they are saved or cancelled.
  const { name, criteria, ...fields } = draft
  const dirty =
    normalAccountName(name) !== account.name ||
    (Object.keys(fields) as (keyof typeof fields)[]).some((field) => fields[field] !== account[field]) || // the keys of the draft's own fields
    CRITERIA.some((criterion) => (criteria[criterion] ?? null) !== (account.criteria[criterion] ?? null))
  const form = useRef<HTMLFormElement>(null)
  useEffect(() => {
    form.current?.scrollIntoView({ block: 'nearest' })
    form.current?.querySelector<HTMLElement>('select, input')?.focus()
  }, [])

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      // The name only when changed: a rename is written to every workshop of the account.
      const { name, ...fields } = draft
      const body: UpdateAccountBody = normalAccountName(name) === account.name ? fields : { ...fields, name }
      onSaved(await updateAccount(account.id, body))
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : 'Could not save the account.')
      setBusy(false)
    }
  }

  async function archive() {
    setBusy(true)
    setError(null)
    try {
      await onArchive()
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : 'Could not archive the account.')
      setBusy(false)
    }
  }

  return (
    <form className="form account-editor" id={ACCOUNT_EDITOR_ID} ref={form} aria-label={`Edit ${account.name}`} onSubmit={onSubmit}>
      <h3>{account.name}</h3>
      <label className="field">
        <span>Name</span>
        <input value={draft.name} maxLength={MAX_ACCOUNT_LENGTH} required onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
      </label>
      <label className="field">
        <span>Tier</span>
        <select value={draft.tier} onChange={(e) => setDraft({ ...draft, tier: e.target.value === 'strategic' ? 'strategic' : 'key' })}>
          <option value="key">Key</option>
          <option value="strategic">Strategic</option>
        </select>
      </label>
      <label className="field">
        <span>Key account manager</span>
        <input value={draft.keyAccountManager} maxLength={120} onChange={(e) => setDraft({ ...draft, keyAccountManager: e.target.value })} />
      </label>
      <label className="field">
        <span>Executive sponsor</span>
        <input value={draft.executiveSponsor} maxLength={120} onChange={(e) => setDraft({ ...draft, executiveSponsor: e.target.value })} />
      </label>
      <label className="field">
        <span>Segment</span>
        <input value={draft.segment} maxLength={120} onChange={(e) => setDraft({ ...draft, segment: e.target.value })} />
      </label>
      {CRITERIA.map((criterion) => {
        const scale = CRITERIA_SCALES[criterion]
        return (
          <label className="field" key={criterion}>
            <span>
              {scale.title}
              {INTERNAL_CRITERIA.includes(criterion) && <small className="muted"> (internal)</small>}
            </span>
            <select
              aria-label={scale.title}
              value={draft.criteria[criterion] ?? ''}
              onChange={(e) => setDraft({ ...draft, criteria: { ...draft.criteria, [criterion]: e.target.value === '' ? null : Number(e.target.value) } })}
            >
              <option value="">Not assessed</option>
              {[1, 2, 3, 4, 5].map((score) => (
                <option key={score} value={score}>
                  {score}
                  {score === 1 || score === 3 || score === 5 ? `: ${scale[score]}` : ''}
                </option>
              ))}
            </select>
          </label>
        )
      })}
      <FormError error={error} />
      <div className="account-editor-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          Save account
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button account-archive"
          disabled={busy || dirty}
          aria-describedby={dirty ? 'account-archive-unsaved' : undefined}
          title="Leaves the portfolio and takes no new workshop; its workshops stay. Unarchive it under Show archived accounts."
          onClick={() => void archive()}
        >
          Archive account
        </button>
      </div>
      {dirty && (
        <p className="muted account-archive-unsaved" id="account-archive-unsaved">
          Save or cancel your changes to archive the account.
        </p>
      )}
    </form>
  )
}
