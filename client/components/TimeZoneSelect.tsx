import { DEFAULT_TIME_ZONE } from '../../shared/timeZone.ts'

/** This browser's time zone: the default for a new workshop. */
export const browserTimeZone = Intl.DateTimeFormat().resolvedOptions().timeZone

/** Every zone the browser knows, with the browser's own and UTC even where the list leaves them out. */
const knownTimeZones = [...new Set([...Intl.supportedValuesOf('timeZone'), browserTimeZone, DEFAULT_TIME_ZONE])].sort()

/**
 * A select of IANA time zones (shown with spaces for underscores). A `value` the browser does not
 * list (a zone stored by a newer runtime) is kept as an option, so it is never silently replaced.
 */
export function TimeZoneSelect({
  value,
  onChange,
  name = 'timeZone',
  labelledBy,
}: {
  value: string
  onChange: (timeZone: string) => void
  name?: string
  /** Id of the element naming the select, where it has no wrapping label. */
  labelledBy?: string
}) {
  const zones = knownTimeZones.includes(value) ? knownTimeZones : [...knownTimeZones, value].sort()
  return (
    <select aria-labelledby={labelledBy} name={name} value={value} onChange={(event) => onChange(event.target.value)}>
      {zones.map((zone) => (
        <option key={zone} value={zone}>
          {zone.replaceAll('_', ' ')}
        </option>
      ))}
    </select>
  )
}
