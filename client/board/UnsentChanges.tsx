import type { UnsentText } from './replayAfterRefusal.ts'

/** The unsent texts as one block to copy: "Title on ‘Send the list’: Send the list". */
function asText(unsent: readonly UnsentText[]): string {
  return unsent.map(({ field, on, value }) => `${field} on ‘${on}’: ${value}`).join('\n')
}

/**
 * What a guest changed offline on a board the facilitator made internal meanwhile: the page
 * drops its copy of the board ([A6]), and these changes never reached anyone (QA q30a: they were
 * dropped without a word). Their own texts, listed to copy, so they can send them another way.
 */
export function UnsentChanges({ unsent }: { unsent: readonly UnsentText[] }) {
  if (unsent.length === 0) return null
  return (
    <section className="card notice field-kept" role="alert" aria-label="Changes not sent">
      <p>These changes you made while offline had not reached the server, so they were not kept:</p>
      <ul>
        {unsent.map(({ field, on, value }, index) => (
          <li key={index}>
            {field} on ‘{on}’: <q>{value}</q>
          </li>
        ))}
      </ul>
      <button type="button" className="button" onClick={() => void navigator.clipboard?.writeText(asText(unsent))}>
        Copy my text
      </button>
    </section>
  )
}
