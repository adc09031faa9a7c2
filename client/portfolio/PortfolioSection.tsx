import { Fragment, useEffect, useMemo, useRef, useState, type FormEvent } from 'react'
import { useNavigate } from 'react-router'
import { MAX_TITLE_LENGTH } from '../../shared/api.ts'
import type { AccountOverview, AccountTier } from '../../shared/accounts.ts'
import { ApiRequestError, createAccountWorkshop, listAccounts, updateAccount } from '../api.ts'
import { requestSharePanel } from '../access/shareRequest.ts'
import { FormError } from '../components/FormError.tsx'
import { browserTimeZone } from '../components/TimeZoneSelect.tsx'
import { AccountCompare } from './AccountCompare.tsx'
import { ACCOUNT_EDITOR_ID, AccountEditor } from './AccountEditor.tsx'
import { AccountMatrix } from './AccountMatrix.tsx'
import { AccountWorkshops } from './AccountWorkshops.tsx'
import { NewAccountForm } from './NewAccountForm.tsx'
import './portfolio.css'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })
/** A plan older than this many days is shown as stale: plans go stale after the workshop. */
const STALE_DAYS = 90

const SORT_KEYS = ['name', 'tier', 'lastWorkshop', 'overdue', 'health'] as const
type SortKey = (typeof SORT_KEYS)[number]

const SORTS: Record<SortKey, { label: string; compare: (a: AccountOverview, b: AccountOverview) => number }> = {
  name: { label: 'Name', compare: (a, b) => a.name.localeCompare(b.name) },
  tier: { label: 'Tier (strategic first)', compare: (a, b) => (a.tier === b.tier ? a.name.localeCompare(b.name) : a.tier === 'strategic' ? -1 : 1) },
  lastWorkshop: { label: 'Oldest workshop first', compare: (a, b) => (a.lastWorkshopAt ?? '').localeCompare(b.lastWorkshopAt ?? '') },
  overdue: { label: 'Most overdue actions', compare: (a, b) => (b.latestPlan?.overdueActions ?? 0) - (a.latestPlan?.overdueActions ?? 0) },
  health: { label: 'Lowest health first', compare: (a, b) => (a.latestPlan?.health ?? 101) - (b.latestPlan?.health ?? 101) },
}

function ageInDays(iso: string): number {
  return Math.floor((Date.now() - new Date(iso).getTime()) / 86_400_000)
}

/**
 * The portfolio (docs/accounts.md): every account with its tier, its current plan's health, its
 * last workshop and how fresh it is, open and overdue actions, objectives at risk; sorted and
 * filtered; the selection matrix; and a next workshop started from an account's last plan.
 */
export function PortfolioSection() {
  const [accounts, setAccounts] = useState<AccountOverview[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [sort, setSort] = useState<SortKey>('name')
  const [tier, setTier] = useState<AccountTier | 'all'>('all')
  const [query, setQuery] = useState('')
  const [editing, setEditing] = useState<string | null>(null)
  // Accounts whose workshops are listed under their row.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set())
  const table = useRef<HTMLTableElement>(null)
  const [loads, setLoads] = useState(0)
  const [showArchived, setShowArchived] = useState(false)
  /** What the last archive or unarchive did, said until the next one. */
  const [status, setStatus] = useState<string | null>(null)
  const toggleButton = useRef<HTMLButtonElement>(null)
  const editedAccount = accounts?.find((a) => a.id === editing)

  useEffect(() => {
    const controller = new AbortController()
    setError(null)
    listAccounts(controller.signal, showArchived)
      .then(setAccounts)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof ApiRequestError ? e.message : 'Could not load the accounts.')
      })
    return () => controller.abort()
  }, [loads, showArchived])

  const toggleArchived = () => {
    setAccounts(null)
    setEditing(null)
    setStatus(null)
    setShowArchived(!showArchived)
  }
  /** Archives (from the editor) or unarchives (from the archived list) `account`: it leaves the list shown. */
  const setArchived = async (account: AccountOverview, archived: boolean) => {
    await updateAccount(account.id, { archived })
    setAccounts((list) => list && list.filter((a) => a.id !== account.id))
    setEditing(null)
    // The row and its button are gone: the focus goes to the toggle between the two lists.
    requestAnimationFrame(() => toggleButton.current?.focus())
    setStatus(archived ? `${account.name} is archived: it takes no new workshop, and its workshops stay as they are.` : `${account.name} is back in the portfolio.`)
  }
  const toggle = (
    <button ref={toggleButton} type="button" className="button portfolio-archived-toggle" aria-pressed={showArchived} onClick={toggleArchived}>
      {showArchived ? 'Back to the portfolio' : 'Show archived accounts'}
    </button>
  )
  const said = status && (
    <p className="muted portfolio-status" role="status">
      {status}
    </p>
  )

  const shown = useMemo(
    () =>
      (accounts ?? [])
        .filter((a) => (tier === 'all' || a.tier === tier) && a.name.toLowerCase().includes(query.trim().toLowerCase()))
        .sort(SORTS[sort].compare),
    [accounts, sort, tier, query],
  )

  if (showArchived) {
    return (
      <section className="card portfolio" aria-labelledby="portfolio-heading">
        <h2 id="portfolio-heading">Archived accounts</h2>
        <FormError error={error} />
        {said}
        {accounts === null && !error && <p className="muted">Loading…</p>}
        {accounts !== null && accounts.length === 0 && <p className="muted">No archived accounts.</p>}
        {accounts !== null && accounts.length > 0 && <ArchivedAccounts accounts={accounts} onUnarchive={(account) => setArchived(account, false)} />}
        {toggle}
      </section>
    )
  }

  // Closing the editor gives the focus back to the Edit button that opened it.
  const closeEditor = (id: string) => {
    setEditing(null)
    table.current?.querySelector<HTMLButtonElement>(`button[data-edit="${CSS.escape(id)}"]`)?.focus()
  }
  const toggleWorkshops = (id: string) =>
    setExpanded((open) => {
      const next = new Set(open)
      if (!next.delete(id)) next.add(id)
      return next
    })

  return (
    <section className="card portfolio" aria-labelledby="portfolio-heading">
      <h2 id="portfolio-heading">Portfolio</h2>
      <FormError error={error} />
      {said}
      {accounts === null && !error && <p className="muted">Loading…</p>}
      {accounts !== null && accounts.length === 0 && <p className="muted">No accounts yet: create one below, or a new workshop creates its account.</p>}
      {accounts !== null && accounts.length > 0 && (
        <>
          <div className="portfolio-controls">
            <label className="field">
              <span>Find</span>
              <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="Name" />
            </label>
            <label className="field">
              <span>Tier</span>
              <select aria-label="Filter by tier" value={tier} onChange={(e) => setTier(e.target.value === 'key' || e.target.value === 'strategic' ? e.target.value : 'all')}>
                <option value="all">All</option>
                <option value="strategic">Strategic</option>
                <option value="key">Key</option>
              </select>
            </label>
            <label className="field">
              <span>Sort by</span>
              <select aria-label="Sort by" value={sort} onChange={(e) => setSort(SORT_KEYS.find((key) => key === e.target.value) ?? 'name')}>
                {SORT_KEYS.map((key) => (
                  <option key={key} value={key}>
                    {SORTS[key].label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div className="portfolio-body">
            <div className="portfolio-table-scroll" role="region" aria-label="Accounts" tabIndex={0}>
              <table className="portfolio-table" ref={table}>
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Tier</th>
                    <th scope="col">Health</th>
                    <th scope="col">Last workshop</th>
                    <th scope="col">Open actions</th>
                    <th scope="col">Overdue</th>
                    <th scope="col">Objectives at risk</th>
                    <th scope="col">Workshops</th>
                    <th scope="col">
                      <span className="visually-hidden">Edit</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {shown.map((account) => (
                    <Fragment key={account.id}>
                      <AccountRow
                        account={account}
                        editing={editing === account.id}
                        workshopsShown={expanded.has(account.id)}
                        onEdit={() => (editing === account.id ? closeEditor(account.id) : setEditing(account.id))}
                        onToggleWorkshops={() => toggleWorkshops(account.id)}
                      />
                      {expanded.has(account.id) && (
                        <tr className="account-workshops-row">
                          <td colSpan={COLUMNS}>
                            <AccountWorkshops accountId={account.id} id={workshopsId(account.id)} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  ))}
                </tbody>
              </table>
            </div>
            <AccountMatrix accounts={accounts} />
          </div>
          <AccountCompare accounts={accounts} />
          {editedAccount && (
            <AccountEditor
              key={editedAccount.id}
              account={editedAccount}
              onCancel={() => closeEditor(editedAccount.id)}
              onArchive={() => setArchived(editedAccount, true)}
              onSaved={(saved) => {
                setAccounts((list) => list && list.map((a) => (a.id === saved.id ? saved : a)))
                closeEditor(saved.id)
              }}
            />
          )}
          <NextWorkshopForm accounts={accounts} />
        </>
      )}
      {accounts !== null && <NewAccountForm onCreated={() => setLoads((n) => n + 1)} />}
      {accounts !== null && toggle}
    </section>
  )
}

/** The archived accounts, each with when it was archived, its workshops and Unarchive. */
function ArchivedAccounts({ accounts, onUnarchive }: { accounts: readonly AccountOverview[]; onUnarchive(account: AccountOverview): Promise<void> }) {
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const unarchive = async (account: AccountOverview) => {
    setBusy(account.id)
    setError(null)
    try {
      await onUnarchive(account)
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : `Could not unarchive ${account.name}.`)
    } finally {
      setBusy(null)
    }
  }
  return (
    <>
      <FormError error={error} />
      <div className="portfolio-table-scroll" role="region" aria-label="Archived accounts" tabIndex={0}>
        <table className="portfolio-table">
          <thead>
            <tr>
              <th scope="col">Account</th>
              <th scope="col">Archived</th>
              <th scope="col">Workshops</th>
              <th scope="col">
                <span className="visually-hidden">Unarchive</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {[...accounts].sort(SORTS.name.compare).map((account) => (
              <tr key={account.id} data-account={account.name}>
                <th scope="row">{account.name}</th>
                <td>{account.archivedAt ? <time dateTime={account.archivedAt}>{dateFormat.format(new Date(account.archivedAt))}</time> : '—'}</td>
                <td>{account.workshops}</td>
                <td>
                  <button type="button" className="button button-small" disabled={busy !== null} aria-label={`Unarchive ${account.name}`} onClick={() => void unarchive(account)}>
                    Unarchive
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  )
}

/** Columns of the portfolio table, for the row that lists an account's workshops. */
const COLUMNS = 9
const workshopsId = (accountId: string) => `account-workshops-${accountId}`

interface AccountRowProps {
  account: AccountOverview
  editing: boolean
  workshopsShown: boolean
  onEdit(): void
  onToggleWorkshops(): void
}

function AccountRow({ account, editing, workshopsShown, onEdit, onToggleWorkshops }: AccountRowProps) {
  const plan = account.latestPlan
  const age = account.lastWorkshopAt ? ageInDays(account.lastWorkshopAt) : null
  return (
    <tr data-account={account.name}>
      <th scope="row">
        {account.name}
        {account.segment && <small className="muted"> · {account.segment}</small>}
      </th>
      <td>
        <span className={`tier tier-${account.tier}`}>{account.tier === 'strategic' ? 'Strategic' : 'Key'}</span>
      </td>
      <td>{plan?.health ?? '—'}</td>
      <td>
        {account.lastWorkshopAt ? (
          <>
            <time dateTime={account.lastWorkshopAt}>{dateFormat.format(new Date(account.lastWorkshopAt))}</time>{' '}
            <span className={age !== null && age > STALE_DAYS ? 'freshness stale' : 'freshness'}>{age === 0 ? 'today' : `${age} d ago`}</span>
          </>
        ) : (
          '—'
        )}
      </td>
      <td>{plan ? plan.openActions : '—'}</td>
      <td className={plan && plan.overdueActions > 0 ? 'overdue' : undefined}>{plan ? plan.overdueActions : '—'}</td>
      <td>{plan?.objectivesAtRisk ?? '—'}</td>
      <td>
        {account.workshops === 0 ? (
          '0'
        ) : (
          <button
            type="button"
            className="button button-small"
            aria-expanded={workshopsShown}
            aria-controls={workshopsShown ? workshopsId(account.id) : undefined}
            aria-label={`${account.workshops} ${account.workshops === 1 ? 'workshop' : 'workshops'} of ${account.name}`}
            onClick={onToggleWorkshops}
          >
            {account.workshops} {workshopsShown ? '▴' : '▾'}
          </button>
        )}
      </td>
      <td>
        <button
          type="button"
          className="button button-small"
          data-edit={account.id}
          aria-expanded={editing}
          aria-controls={editing ? ACCOUNT_EDITOR_ID : undefined}
          onClick={onEdit}
          aria-label={`Edit ${account.name}`}
        >
          Edit
        </button>
      </td>
    </tr>
  )
}

/** Starts the next workshop of an account: from its last plan (done actions dropped or kept), or blank. */
function NextWorkshopForm({ accounts }: { accounts: readonly AccountOverview[] }) {
  const navigate = useNavigate()
  const active = accounts.filter((a) => a.archivedAt === undefined)
  const [accountId, setAccountId] = useState(active[0]?.id ?? '')
  const [title, setTitle] = useState('')
  const [start, setStart] = useState<'last_plan' | 'blank'>('last_plan')
  const [dropDone, setDropDone] = useState(true)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const hasPlan = active.find((a) => a.id === accountId)?.latestPlan != null

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setBusy(true)
    setError(null)
    try {
      // The account's next workshop keeps its last one's time zone (the server's default); the first takes the browser's.
      const first = (active.find((a) => a.id === accountId)?.workshops ?? 0) === 0
      const created = await createAccountWorkshop(accountId, { title, start: hasPlan ? start : 'blank', dropDoneActions: dropDone, ...(first ? { timeZone: browserTimeZone } : {}) })
      requestSharePanel(created.id)
      navigate(new URL(created.links.facilitator).pathname)
    } catch (e) {
      setError(e instanceof ApiRequestError ? e.message : 'Could not create the workshop.')
      setBusy(false)
    }
  }

  return (
    <form className="form next-workshop" onSubmit={onSubmit}>
      <h3>Next workshop</h3>
      <label className="field">
        <span>Next workshop for</span>
        <select aria-label="Next workshop for" value={accountId} onChange={(e) => setAccountId(e.target.value)}>
          {active.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Its title</span>
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={MAX_TITLE_LENGTH} required placeholder="e.g. Q3 review" />
      </label>
      <fieldset className="field" disabled={!hasPlan}>
        <legend>Boards start</legend>
        <label>
          <input type="radio" name="start" checked={start === 'last_plan'} onChange={() => setStart('last_plan')} /> From the last plan
        </label>
        <label>
          <input type="radio" name="start" checked={start === 'blank'} onChange={() => setStart('blank')} /> Fresh start
        </label>
        <label>
          <input type="checkbox" checked={dropDone} disabled={start !== 'last_plan'} onChange={(e) => setDropDone(e.target.checked)} /> Leave done actions out
        </label>
        {!hasPlan && <small className="field-hint">This account has no snapshot yet: its next workshop starts fresh.</small>}
      </fieldset>
      <FormError error={error} />
      <button className="button button-primary" type="submit" disabled={busy || accountId === ''}>
        {busy ? 'Creating…' : 'Start the next workshop'}
      </button>
    </form>
  )
}
