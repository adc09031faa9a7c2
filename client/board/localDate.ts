/** Today's calendar date in the viewer's time zone, as `YYYY-MM-DD` (what `isOverdue` expects). */
export function localToday(now: Date = new Date()): string {
  const month = String(now.getMonth() + 1).padStart(2, '0')
  const day = String(now.getDate()).padStart(2, '0')
  return `${now.getFullYear()}-${month}-${day}`
}
