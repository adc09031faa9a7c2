import { useEffect } from 'react'
import { atom } from 'tldraw'
import { dateInTimeZone } from '../../shared/timeZone.ts'

/** Today's calendar date in the viewer's time zone, as `YYYY-MM-DD` (what `isOverdue` expects). */
export function localToday(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0')
  const day = String(now.getDate()).padStart(2, '0')
  return `${now.getFullYear()}-${month}-${day}`
}

/** The open workshop's time zone ([P9]), set by its page; reactive, so cards follow a change. */
const workshopZone = atom<string | undefined>('workshop time zone', undefined)

/** A page of a workshop says which time zone its boards judge overdue actions by (undefined: not read yet), until it goes. */
export function useWorkshopTimeZone(timeZone: string | undefined): void {
  useEffect(() => {
    workshopZone.set(timeZone)
    return () => {
      workshopZone.set(undefined)
    }
  }, [timeZone])
}

/**
 * Today's date in the open workshop's time zone, which decides which actions are overdue, as it
 * does in snapshots, exports and the live health ([P9]): everyone in the workshop sees the same
 * cards overdue, wherever their computer is. The viewer's own date until the workshop is read.
 * Read inside a tracked render (a shape's component, `useValue`), it re-renders on a change.
 */
export function workshopToday(now: Date = new Date()): string {
  const timeZone = workshopZone.get()
  return timeZone === undefined ? localToday(now) : dateInTimeZone(now, timeZone)
}

const dayThisYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' })
const dayOtherYear = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' })

/** A short date for a card (`YYYY-MM-DD` in): "19 Nov", with the year only when it is not this year. */
export function formatDue(due: string): string {
  const [year, month, day] = due.split('-').map(Number)
  if (!year || !month || !day) return due
  const format = year === new Date().getFullYear() ? dayThisYear : dayOtherYear
  return format.format(new Date(year, month - 1, day))
}
