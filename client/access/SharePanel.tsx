import { PopoverClose } from '../components/PopoverClose.tsx'
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react'
import type { WorkshopLinks } from '../../shared/access.ts'
import { MAX_ACCOUNT_LENGTH, MAX_TITLE_LENGTH, foldAccountName, type AccountNameMatch, type Workshop } from '../../shared/api.ts'
import { BOARD_IDS, BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { ROLES, type BoardSettings, type Role } from '../../shared/roles.ts'
import { deleteWorkshop, getBoardSettings, getLinks, getWorkshop, matchAccountName, putBoardSettings, revokeLinks, updateWorkshop } from '../api.ts'
import { FormError } from '../components/FormError.tsx'
import { TimeZoneSelect } from '../components/TimeZoneSelect.tsx'
import { useDismiss } from '../components/useDismiss.ts'
import { rememberWorkshopToken, tokenOfLink } from '../credentials.ts'
import { SensitivitySection } from './SensitivitySection.tsx'
import { requestSharePanel } from './shareRequest.ts'
import { announceWorkshopChanged } from './workshopChanged.ts'
import '../review/review.css'
import { useFitInViewport } from '../components/useFitInViewport.ts'
import { copyText } from '../copyText.ts'

const ROLE_TEXT = {
  facilitator: { label: 'Facilitator', hint: 'Everything, including snapshots, restore and these links.' },
  team: { label: 'Account team', hint: 'Edits every board.' },
  viewer: { label: 'Viewer', hint: 'Reads every board, changes nothing.' },
  guest: { label: 'Customer guest', hint: 'Sees and edits only the customer-facing boards.' },
} as const satisfies Record<Role, { label: string; hint: string }>

const message = (error: unknown) => (error instanceof Error ? error.message : String(error))

/**
 * Loads the workshop's `load` into `set` when a section mounts (the popover opens) and again each
 * time `revision` changes; a failure goes to `setError` unless the section unmounted first. The
 * setters are React state setters (stable).
 */
function useLoad<T>(
  workshopId: string,
  load: (workshopId: string, signal: AbortSignal) => Promise<T>,
  set: (value: T) => void,
  setError: (error: string) => void,
  revision = 0,
): void {
  useEffect(() => {
    const controller = new AbortController()
    load(workshopId, controller.signal)
      .then(set)
      .catch((caught: unknown) => {
        if (!controller.signal.aborted) setError(message(caught))
      })
    return () => controller.abort()
  }, [workshopId, load, set, setError, revision])
}

/**
 * The facilitator's "Share" popover: the workshop's account and title (rename), the four invite
 * links with copy and revoke buttons, which boards are customer-facing, which card fields are
 * internal, the workshop's time zone, and archiving or deleting the workshop. The server enforces
 * all of it (docs/security.md [A4]–[A6], [A21], [A35]). Without `manage` (the team)
 * it shows only which card fields are internal, read-only; guests never get it.
 */
export function SharePanel({
  workshopId,
  initiallyOpen = false,
  manage = true,
  revision = 0,
}: {
  workshopId: string
  initiallyOpen?: boolean
  manage?: boolean
  /** Raised when another page changed the workshop (the room control's `workshopRevision`): open sections read theirs again. */
  revision?: number
}) {
  const [open, setOpen] = useState(initiallyOpen)
  const root = useRef<HTMLDivElement>(null)
  const fitted = useFitInViewport<HTMLDivElement>()
  const close = useCallback(() => setOpen(false), [])
  useDismiss(open, root, close)

  return (
    <div className="share" ref={root}>
      <button
        type="button"
        className="button"
        aria-expanded={open}
        aria-haspopup="dialog"
        title={manage ? 'Invite links, customer-facing boards, what the customer sees, time zone' : 'What the customer sees'}
        onClick={() => setOpen(!open)}
      >
        Share
      </button>
      {open &&
        (manage ? (
          // Focus goes to the panel itself (useDismiss): its sections load separately, so the first control is not known.
          <div className="popover share-popover" role="dialog" aria-label="Share this workshop" tabIndex={-1} ref={fitted}>
            <PopoverClose onClose={close} />
            <WorkshopNames workshopId={workshopId} revision={revision} />
            <InviteLinks workshopId={workshopId} revision={revision} />
            <CustomerFacingSwitches workshopId={workshopId} revision={revision} />
            <SensitivitySection workshopId={workshopId} canEdit />
            <WorkshopTimeZone workshopId={workshopId} />
            <ArchiveOrDelete workshopId={workshopId} />
          </div>
        ) : (
          <div className="popover share-popover" role="dialog" aria-label="What the customer sees" tabIndex={-1} ref={fitted}>
            <PopoverClose onClose={close} />
            <SensitivitySection workshopId={workshopId} canEdit={false} />
          </div>
        ))}
    </div>
  )
}

function InviteLinks({ workshopId, revision }: { workshopId: string; revision: number }) {
  const [links, setLinks] = useState<WorkshopLinks | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [copied, setCopied] = useState<Role | null>(null)
  const [revoking, setRevoking] = useState<Role | null>(null)

  useLoad(workshopId, getLinks, setLinks, setError, revision)

  const copy = async (role: Role, link: string) => {
    if (await copyText(link)) {
      setCopied(role)
      setError(null)
    } else setError('Could not copy: select the link and copy it by hand.')
  }

  const revoke = async (role: Role) => {
    const own = role === 'facilitator'
    const warning = own
      ? 'Revoke every facilitator link, yours included? This page reloads with the new facilitator link.'
      : `Revoke every ${ROLE_TEXT[role].label.toLowerCase()} link? Everyone using one is disconnected at once and needs the new link.`
    if (!window.confirm(warning)) return
    setRevoking(role)
    setError(null)
    try {
      const fresh = await revokeLinks(workshopId, role)
      setLinks(fresh)
      setCopied(null)
      if (own) {
        // This browser's own token was just revoked: continue with the new one, panel open.
        rememberWorkshopToken(workshopId, tokenOfLink(fresh.facilitator))
        requestSharePanel(workshopId)
        window.location.reload()
      }
    } catch (caught) {
      setError(message(caught))
    } finally {
      setRevoking(null)
    }
  }

  return (
    <section className="share-section" aria-labelledby="share-links-heading">
      <h2 id="share-links-heading" className="popover-title">
        Invite links
      </h2>
      {!links && !error && <p className="muted">Loading links…</p>}
      {links && (
        <ul className="share-links">
          {ROLES.map((role) => (
            <li key={role} className="share-link" data-role={role}>
              <div className="share-link-head">
                <span className="share-link-role">{ROLE_TEXT[role].label}</span>
                <span className="muted">{ROLE_TEXT[role].hint}</span>
              </div>
              <div className="share-link-row">
                <input
                  type="text"
                  readOnly
                  value={links[role]}
                  aria-label={`${ROLE_TEXT[role].label} link`}
                  title={links[role]}
                  onFocus={(event) => event.target.select()}
                />
                <button type="button" className="button" onClick={() => void copy(role, links[role])}>
                  {copied === role ? 'Copied' : 'Copy'}
                </button>
                <button
                  type="button"
                  className="button"
                  disabled={revoking !== null}
                  aria-label={`Revoke ${ROLE_TEXT[role].label.toLowerCase()} links`}
                  onClick={() => void revoke(role)}
                >
                  {revoking === role ? 'Revoking…' : 'Revoke'}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <FormError error={error} />
    </section>
  )
}

function CustomerFacingSwitches({ workshopId, revision }: { workshopId: string; revision: number }) {
  const [settings, setSettings] = useState<BoardSettings | null>(null)
  const [saving, setSaving] = useState<BoardId | null>(null)
  const [error, setError] = useState<string | null>(null)

  useLoad(workshopId, getBoardSettings, setSettings, setError, revision)

  const toggle = async (board: BoardId, customerFacing: boolean) => {
    if (!settings || saving !== null) return
    // The switch moves at once; it moves back if the server refuses. Only this board is sent:
    // the others are as the server has them (another page may have changed one meanwhile).
    setSettings({ customerFacing: { ...settings.customerFacing, [board]: customerFacing } })
    setSaving(board)
    setError(null)
    try {
      setSettings(await putBoardSettings(workshopId, { customerFacing: { [board]: customerFacing } }))
    } catch (caught) {
      setSettings(settings)
      setError(message(caught))
    } finally {
      setSaving(null)
    }
  }

  return (
    <section className="share-section" aria-labelledby="share-boards-heading">
      <h2 id="share-boards-heading" className="popover-title">
        Customer-facing boards
      </h2>
      <p className="muted">Guests see and edit only these. A change applies at once, also to guests already connected.</p>
      {settings && (
        <ul className="share-switches">
          {BOARD_IDS.map((board) => (
            <li key={board}>
              <label className="share-switch">
                <input
                  type="checkbox"
                  role="switch"
                  checked={settings.customerFacing[board] === true}
                  // Not `disabled` while one is saved: the focus would drop to the page's body (QA q29c).
                  aria-disabled={saving !== null || undefined}
                  onChange={(event) => void toggle(board, event.target.checked)}
                />
                <span>{BOARD_TITLES[board]}</span>
              </label>
            </li>
          ))}
        </ul>
      )}
      <FormError error={error} />
    </section>
  )
}

function WorkshopTimeZone({ workshopId }: { workshopId: string }) {
  const [timeZone, setTimeZone] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  /** The zone the server last confirmed: what the select goes back to when a change is refused. */
  const confirmed = useRef<string | null>(null)
  /** The newest choice not sent yet; one request at a time, so the server sees the choices in order. */
  const pending = useRef<string | null>(null)
  const sending = useRef(false)
  const loadZone = useCallback((id: string, signal: AbortSignal) => getWorkshop(id, signal).then((w) => w.timeZone), [])
  const loaded = useCallback((zone: string) => {
    confirmed.current = zone
    setTimeZone(zone)
  }, [])

  useLoad(workshopId, loadZone, loaded, setError)

  const send = async () => {
    sending.current = true
    while (pending.current !== null) {
      const next = pending.current
      pending.current = null
      try {
        confirmed.current = (await updateWorkshop(workshopId, { timeZone: next })).timeZone
        if (pending.current === null) setTimeZone(confirmed.current)
      } catch (caught) {
        // Only the newest choice's answer is shown; an older refusal is overtaken by it.
        if (pending.current === null) {
          setTimeZone(confirmed.current)
          setError(message(caught))
        }
      }
    }
    sending.current = false
  }

  // The select shows a choice at once (arrow keys step through zones, each one saved); it goes back
  // to the last confirmed zone if the server refuses.
  const change = (next: string) => {
    setTimeZone(next)
    setError(null)
    pending.current = next
    if (!sending.current) void send()
  }

  return (
    <section className="share-section" aria-labelledby="share-zone-heading">
      <h2 id="share-zone-heading" className="popover-title">
        Time zone
      </h2>
      <p className="muted">Snapshots mark actions overdue by the date here. Snapshots already saved keep theirs.</p>
      {timeZone !== null && (
        <div className="field">
          <TimeZoneSelect labelledBy="share-zone-heading" value={timeZone} onChange={change} />
        </div>
      )}
      <FormError error={error} />
    </section>
  )
}

/** Whether two account names name one account ([K2]: ignoring case, surrounding spaces and runs of spaces). */
function sameAccountName(a: string, b: string): boolean {
  return foldAccountName(a) === foldAccountName(b)
}

/**
 * What filing the workshop under the account `name` would do, asked of the server as it is typed
 * (QA q35b: the same sentence for an existing account and a typo, which made a new account that
 * can only be archived).
 */
function AccountMatch({ workshopId, name }: { workshopId: string; name: string }) {
  const [match, setMatch] = useState<AccountNameMatch | null>(null)
  const typed = name.trim()
  useEffect(() => {
    setMatch(null)
    if (typed === '') return
    const controller = new AbortController()
    const timer = window.setTimeout(() => {
      matchAccountName(workshopId, typed, controller.signal).then(setMatch, () => setMatch(null))
    }, 250)
    return () => {
      window.clearTimeout(timer)
      controller.abort()
    }
  }, [workshopId, typed])
  if (!match) return <>Files this workshop under the account named so (made if there is none).</>
  if (match.archived) return <>The account “{match.name}” is archived: unarchive it in the portfolio first.</>
  if (match.exists) return <>Files this workshop under the existing account “{match.name}”.</>
  return <>No account is called so: saving makes a new account “{match.name}” for this workshop.</>
}

/** Renames the workshop or files it under another account; the page's header follows at once. */
function WorkshopNames({ workshopId, revision }: { workshopId: string; revision: number }) {
  const [names, setNames] = useState<{ account: string; title: string } | null>(null)
  const [saved, setSaved] = useState<{ account: string; title: string } | null>(null)
  const [saving, setSaving] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback((id: string, signal: AbortSignal) => getWorkshop(id, signal), [])
  // Names read again (another page renamed the workshop) replace a field this person has not
  // changed; one being edited keeps its text.
  const savedNow = useRef<{ account: string; title: string } | null>(null)
  const loaded = useCallback((workshop: Workshop) => {
    const before = savedNow.current
    setNames((current) => ({
      account: current && before && current.account !== before.account ? current.account : workshop.account,
      title: current && before && current.title !== before.title ? current.title : workshop.title,
    }))
    savedNow.current = { account: workshop.account, title: workshop.title }
    setSaved(savedNow.current)
  }, [])

  useLoad(workshopId, load, loaded, setError, revision)

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault()
    if (!names || saving || unchanged) return
    setSaving(true)
    setError(null)
    try {
      // Only what this person changed: the other name may have been changed by another page since.
      const account = names.account.trim()
      const title = names.title.trim()
      const workshop = await updateWorkshop(workshopId, {
        ...(saved === null || account !== saved.account ? { account } : {}),
        ...(saved === null || title !== saved.title ? { title } : {}),
      })
      loaded(workshop)
      announceWorkshopChanged(workshop)
    } catch (caught) {
      setError(message(caught))
    } finally {
      setSaving(false)
    }
  }

  const unchanged = names !== null && saved !== null && names.account.trim() === saved.account && names.title.trim() === saved.title
  return (
    <section className="share-section" aria-labelledby="share-names-heading">
      <h2 id="share-names-heading" className="popover-title">
        Workshop
      </h2>
      {names && (
        <form className="share-names" onSubmit={(event) => void submit(event)}>
          <label className="field">
            <span>Account</span>
            <input
              name="account"
              value={names.account}
              maxLength={MAX_ACCOUNT_LENGTH}
              required
              onChange={(event) => setNames({ ...names, account: event.target.value })}
            />
          </label>
          {saved !== null && !sameAccountName(names.account, saved.account) && (
            <p className="muted small" role="status">
              <AccountMatch workshopId={workshopId} name={names.account} /> To rename the account itself, for all its workshops, use the portfolio.
            </p>
          )}
          <label className="field">
            <span>Workshop title</span>
            <input
              name="title"
              value={names.title}
              maxLength={MAX_TITLE_LENGTH}
              required
              onChange={(event) => setNames({ ...names, title: event.target.value })}
            />
          </label>
          <button type="submit" className="button" aria-disabled={saving || unchanged || undefined}>
            {saving ? 'Renaming…' : 'Rename'}
          </button>
        </form>
      )}
      <FormError error={error} />
    </section>
  )
}

/**
 * Archive (hidden from the lobby's list, every board read-only, reversible) or delete for good.
 * Either way the page leaves: archiving reloads it read-only, deleting goes to the lobby.
 */
function ArchiveOrDelete({ workshopId }: { workshopId: string }) {
  const [archived, setArchived] = useState<boolean | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const load = useCallback((id: string, signal: AbortSignal) => getWorkshop(id, signal).then((w) => w.archivedAt !== undefined), [])

  useLoad(workshopId, load, setArchived, setError)

  const run = async (confirmText: string, action: () => Promise<void>) => {
    if (!window.confirm(confirmText)) return
    setBusy(true)
    setError(null)
    try {
      await action()
    } catch (caught) {
      setError(message(caught))
      setBusy(false)
    }
  }

  const toggleArchive = () =>
    run(
      archived
        ? 'Unarchive this workshop? It is listed in the lobby again and everyone may edit its boards.'
        : 'Archive this workshop? It leaves the lobby list and every board becomes read-only for everyone, until you unarchive it.',
      async () => {
        await updateWorkshop(workshopId, { archived: !archived })
        // Open connections were closed to come back with the new rights: so does this page.
        requestSharePanel(workshopId)
        window.location.reload()
      },
    )

  const remove = () =>
    run('Delete this workshop for good? Its boards, snapshots and links are removed and cannot be brought back.', async () => {
      await deleteWorkshop(workshopId)
      window.location.assign('/')
    })

  return (
    <section className="share-section" aria-labelledby="share-archive-heading">
      <h2 id="share-archive-heading" className="popover-title">
        Archive or delete
      </h2>
      {archived !== null && (
        <>
          <p className="muted">
            {archived ? 'This workshop is archived: read-only for everyone and not listed in the lobby.' : 'Archive a finished workshop to file it away; delete removes it for good.'}
          </p>
          <div className="share-link-row">
            <button type="button" className="button" disabled={busy} onClick={() => void toggleArchive()}>
              {archived ? 'Unarchive workshop' : 'Archive workshop'}
            </button>
            <button type="button" className="button button-danger" disabled={busy} onClick={() => void remove()}>
              Delete workshop…
            </button>
          </div>
        </>
      )}
      <FormError error={error} />
    </section>
  )
}
