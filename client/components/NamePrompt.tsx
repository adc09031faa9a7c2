import { useState, type FormEvent } from 'react'
import { MAX_NAME_LENGTH, cleanName } from '../identity.ts'

/** Asks for a display name once; the caller remembers it. */
export function NamePrompt({ onSubmit }: { onSubmit(name: string): void }) {
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
