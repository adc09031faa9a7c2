import { useState, type FormEvent } from 'react'
import { MAX_NAME_LENGTH, cleanName } from '../identity.ts'

/** Asks for a display name once; the caller remembers it. `workshop` names what is being joined. */
export function NamePrompt({
  workshop,
  onSubmit,
}: {
  workshop: { account: string; title: string } | null
  onSubmit(name: string): void
}) {
  const [name, setName] = useState('')
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const cleaned = cleanName(name)
    if (cleaned) onSubmit(cleaned)
  }
  return (
    <div className="modal-backdrop">
      <form className="card modal" onSubmit={submit} aria-labelledby="name-prompt-heading">
        <h1 id="name-prompt-heading">Join the workshop</h1>
        {workshop && (
          <p className="name-prompt-workshop">
            <span className="workshop-heading-account">{workshop.account}</span>
            <span className="workshop-heading-title">{workshop.title}</span>
          </p>
        )}
        <p className="muted">Your name is shown next to your cursor and in the participant list.</p>
        <label className="field">
          <span>Your name</span>
          <input
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={MAX_NAME_LENGTH}
            autoFocus
            required
            placeholder="e.g. Dana Fischer"
          />
        </label>
        <button className="button button-primary" type="submit" disabled={cleanName(name) === ''}>
          Join
        </button>
      </form>
    </div>
  )
}
