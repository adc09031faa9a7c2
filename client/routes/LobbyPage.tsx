import { useEffect, useRef, useState, type FormEvent, type MouseEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { MAX_ACCOUNT_LENGTH, MAX_TITLE_LENGTH, type Workshop } from '../../shared/api.ts'
import { BOARD_IDS, BOARD_TITLES } from '../../shared/boards.ts'
import { ApiRequestError, createWorkshop, joinAsFacilitator, listWorkshops } from '../api.ts'
import { requestSharePanel } from '../access/shareRequest.ts'
import { AppHeader } from '../components/AppHeader.tsx'
import { FormError } from '../components/FormError.tsx'
import { TimeZoneSelect, browserTimeZone } from '../components/TimeZoneSelect.tsx'
import { orgKey, setOrgKey } from '../credentials.ts'
import { PortfolioSection } from '../portfolio/PortfolioSection.tsx'
import { useOpenAsFacilitator } from '../components/useOpenAsFacilitator.ts'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

type ListState =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'needsKey' }
  | { kind: 'ready'; workshops: Workshop[] }

const isUnauthorized = (error: unknown) => error instanceof ApiRequestError && error.status === 401

/** How often a visible lobby reads its list again ([C13]: renames made elsewhere). */
const LIST_REFRESH_MS = 30_000

/**
 * `/`: start a workshop or open a recent one. Without an accepted organisation key, its box comes
 * first and creating waits for it. A new workshop opens at its facilitator link, which names the
 * workshop: the page opens its first board, the SWOT.
 */
export function LobbyPage() {
  const navigate = useNavigate()
  const [account, setAccount] = useState('')
  const [title, setTitle] = useState('')
  const [timeZone, setTimeZone] = useState(browserTimeZone)
  const [creating, setCreating] = useState(false)
  const [createError, setCreateError] = useState<string | null>(null)
  // Listing needs the organisation key: without one, ask for it rather than be refused (a 401 in the console).
  const [list, setList] = useState<ListState>(() => (orgKey() === undefined ? { kind: 'needsKey' } : { kind: 'loading' }))
  // Bumped when the organisation key changes, to list again with it.
  const [keyVersion, setKeyVersion] = useState(0)
  const [showArchived, setShowArchived] = useState(false)
  // [C13] Renames (and archiving) made on other pages, other browsers or other instances reach the
  // list when the lobby is looked at again (tab shown, window focused) and every LIST_REFRESH_MS
  // while it is visible. The lobby has no socket: a push would need an organisation-wide channel
  // for a list that is only read, whereas the REST list reads the store every instance shares.
  const [reads, setReads] = useState(0)
  useEffect(() => {
    const again = () => {
      if (document.visibilityState === 'visible') setReads((n) => n + 1)
    }
    const poll = window.setInterval(again, LIST_REFRESH_MS)
    document.addEventListener('visibilitychange', again)
    window.addEventListener('focus', again)
    return () => {
      window.clearInterval(poll)
      document.removeEventListener('visibilitychange', again)
      window.removeEventListener('focus', again)
    }
  }, [])

  useEffect(() => {
    if (orgKey() === undefined) return
    const controller = new AbortController()
    listWorkshops(controller.signal, showArchived)
      .then((workshops) => setList({ kind: 'ready', workshops }))
      .catch((error: unknown) => {
        if (controller.signal.aborted) return
        if (isUnauthorized(error)) setList({ kind: 'needsKey' })
        else setList({ kind: 'error', message: error instanceof Error ? error.message : 'Could not load workshops.' })
      })
    return () => controller.abort()
  }, [keyVersion, showArchived, reads])

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    setCreating(true)
    setCreateError(null)
    try {
      const workshop = await createWorkshop({ account, title, timeZone })
      // Open the facilitator's link (its token is stored already), Share panel open on the four links.
      requestSharePanel(workshop.id)
      navigate(new URL(workshop.links.facilitator).pathname)
    } catch (error) {
      if (isUnauthorized(error)) setList({ kind: 'needsKey' })
      setCreateError(error instanceof ApiRequestError ? error.message : 'Could not create the workshop.')
      setCreating(false)
    }
  }

  const needsKey = list.kind === 'needsKey'
  // Once a key is accepted its box goes away, and with it the focus: give it to the form's first
  // field rather than let it drop to the page body.
  const accountField = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (keyVersion > 0) accountField.current?.focus()
  }, [keyVersion])

  function onKey(key: string) {
    setOrgKey(key)
    setCreateError(null)
    setList({ kind: 'loading' })
    setKeyVersion((version) => version + 1)
  }

  return (
    <div className="lobby">
      <AppHeader />
      <main className="lobby-main">
        <section className="lobby-hero">
          <h1>Plan your key accounts together</h1>
          <p>
            One workshop, five boards: a SWOT of the account, a map of the customer&apos;s people, objectives and
            KPIs, an action plan everyone agrees on, and the whitespace left to win, live for everyone in the room.
          </p>
        </section>

        <div className="lobby-grid">
          {/* The key comes first: nothing below works without it. */}
          {needsKey && (
            <section className="card lobby-key" aria-labelledby="org-key-heading">
              <h2 id="org-key-heading">Sign in to your organisation</h2>
              <OrgKeyForm onKey={onKey} />
            </section>
          )}
          <section className="card" aria-labelledby="new-workshop-heading">
            <h2 id="new-workshop-heading">New workshop</h2>
            <form className="form" onSubmit={onSubmit}>
              <label className="field">
                <span>Account</span>
                <input
                  ref={accountField}
                  name="account"
                  value={account}
                  onChange={(event) => setAccount(event.target.value)}
                  placeholder="e.g. Northwind Logistics"
                  maxLength={MAX_ACCOUNT_LENGTH}
                  required
                  autoFocus={!needsKey}
                />
              </label>
              <label className="field">
                <span>Workshop title</span>
                <input
                  name="title"
                  value={title}
                  onChange={(event) => setTitle(event.target.value)}
                  placeholder="e.g. FY27 account plan"
                  maxLength={MAX_TITLE_LENGTH}
                  required
                />
              </label>
              <label className="field">
                <span>Time zone</span>
                <TimeZoneSelect value={timeZone} onChange={setTimeZone} />
                <small className="field-hint">Snapshots mark actions overdue by the date here.</small>
              </label>
              <FormError error={createError} />
              {needsKey && <small className="field-hint">Enter the organisation key above first.</small>}
              <button className="button button-primary" type="submit" disabled={creating || needsKey}>
                {creating ? 'Creating…' : 'Create workshop'}
              </button>
            </form>
          </section>

          {/* Organisation-key holders see every account (docs/accounts.md [K4]). */}
          {!needsKey && list.kind !== 'loading' && <PortfolioSection key={keyVersion} />}
          <section className="card" aria-labelledby="recent-heading">
            <h2 id="recent-heading">{showArchived ? 'Archived workshops' : 'Recent workshops'}</h2>
            {needsKey ? <p className="muted">Listed once the organisation key is in.</p> : <RecentWorkshops list={list} archived={showArchived} />}
            {!needsKey && (
              <button
                type="button"
                className="button lobby-archived-toggle"
                aria-pressed={showArchived}
                onClick={() => {
                  setList({ kind: 'loading' })
                  setShowArchived(!showArchived)
                }}
              >
                {showArchived ? 'Back to recent workshops' : 'Show archived workshops'}
              </button>
            )}
          </section>
        </div>
      </main>
    </div>
  )
}

/** Asks once for the organisation key (kept in this browser). */
function OrgKeyForm({ onKey }: { onKey: (key: string) => void }) {
  const [key, setKey] = useState('')
  const rejected = orgKey() !== undefined
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault()
        onKey(key.trim())
      }}
    >
      <p className="muted">Creating and listing workshops needs your organisation&apos;s key (printed by the server at its first start).</p>
      <label className="field">
        <span>Organisation key</span>
        <input name="orgKey" type="password" value={key} onChange={(event) => setKey(event.target.value)} required autoComplete="off" autoFocus />
      </label>
      <FormError error={rejected ? 'That organisation key was not accepted. Check it and enter it again.' : null} />
      <button className="button button-primary" type="submit">
        Use this key
      </button>
    </form>
  )
}

function RecentWorkshops({ list, archived }: { list: ListState; archived: boolean }) {
  // A workshop listed with the organisation key opens as its facilitator.
  const { open: openWorkshop, error: openError } = useOpenAsFacilitator()
  const open = (event: MouseEvent<HTMLAnchorElement>, workshop: Workshop) => openWorkshop(event, workshop.id)
  if (list.kind === 'loading' || list.kind === 'needsKey') return <p className="muted">Loading…</p>
  if (list.kind === 'error') return <FormError error={list.message} />
  if (list.workshops.length === 0) return <p className="muted">{archived ? 'No archived workshops.' : 'No workshops yet. Create the first one.'}</p>
  return (
    <>
      <FormError error={openError} />
      <ul className="workshop-list">
        {list.workshops.map((workshop) => (
          <li key={workshop.id}>
            <Link className="workshop-link" to={`/w/${workshop.id}/${BOARD_IDS[0]}`} onClick={(event) => void open(event, workshop)}>
              <span className="workshop-account">{workshop.account}</span>
              <span className="workshop-title">{workshop.title}</span>
              <span className="workshop-meta">
                <time dateTime={workshop.createdAt}>{dateFormat.format(new Date(workshop.createdAt))}</time>
                <span aria-hidden="true"> · </span>
                {workshop.boards.map((board) => BOARD_TITLES[board.id]).join(', ')}
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </>
  )
}
