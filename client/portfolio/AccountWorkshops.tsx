import { useEffect, useState } from 'react'
import { Link } from 'react-router'
import type { Workshop } from '../../shared/api.ts'
import { BOARD_IDS } from '../../shared/boards.ts'
import { ApiRequestError, listAccountWorkshops } from '../api.ts'
import { FormError } from '../components/FormError.tsx'
import { useOpenAsFacilitator } from '../components/useOpenAsFacilitator.ts'

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' })

/**
 * An account's workshops, newest first, each a link to its first board (a browser holding the
 * organisation key opens it as its facilitator). Loaded when shown.
 */
export function AccountWorkshops({ accountId, id }: { accountId: string; id: string }) {
  const [workshops, setWorkshops] = useState<Workshop[] | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { open, error: openError } = useOpenAsFacilitator()

  useEffect(() => {
    const controller = new AbortController()
    listAccountWorkshops(accountId, controller.signal)
      .then(setWorkshops)
      .catch((e: unknown) => {
        if (!controller.signal.aborted) setError(e instanceof ApiRequestError ? e.message : 'Could not load the workshops.')
      })
    return () => controller.abort()
  }, [accountId])

  return (
    <div id={id} className="account-workshops">
      <FormError error={error ?? openError} />
      {workshops === null && !error && <p className="muted">Loading…</p>}
      {workshops?.length === 0 && <p className="muted">No workshops yet.</p>}
      {workshops && workshops.length > 0 && (
        <ul>
          {workshops.map((workshop) => (
            <li key={workshop.id}>
              <Link to={`/w/${workshop.id}/${BOARD_IDS[0]}`} onClick={(event) => void open(event, workshop.id)}>
                {workshop.title}
              </Link>{' '}
              <time className="muted" dateTime={workshop.createdAt}>
                {dateFormat.format(new Date(workshop.createdAt))}
              </time>
              {workshop.archivedAt !== undefined && <span className="muted"> · archived</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
