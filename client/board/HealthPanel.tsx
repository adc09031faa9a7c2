import { useEffect, useRef, useState, type Ref } from 'react'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { missingItems, type HealthItem } from '../../shared/planHealth.ts'
import type { LiveHealthState } from './useLiveHealth.ts'

/** Most missing items listed at first; the rest behind "Show n more". */
const MAX_SHOWN = 8

/**
 * The plan health, live: the score and what is missing, most important checks first, each item
 * a link to the board and card it concerns (docs/plan-health.md).
 */
export function HealthPanel({ state, onOpen }: { state: LiveHealthState; onOpen(board: BoardId, shapeId?: string): void }) {
  const [all, setAll] = useState(false)
  // "Show n more" takes the keyboard to the first item it shows (it stayed on the button, now
  // below them all); "Show fewer" leaves it on the button.
  const firstMore = useRef<HTMLAnchorElement>(null)
  const [moveFocus, setMoveFocus] = useState(false)
  useEffect(() => {
    if (!moveFocus) return
    setMoveFocus(false)
    firstMore.current?.focus()
  }, [moveFocus])
  if (state.status === 'hidden') return null
  const health = state.status === 'ready' ? state.live.health : null
  const items = health ? missingItems(health) : []
  return (
    <section className="panel-section health-panel" aria-labelledby="health-heading">
      <h2 id="health-heading" className="panel-heading">
        Plan health
      </h2>
      {health === null ? (
        <p className="muted">{state.status === 'unreachable' ? 'Shows once the server can be reached.' : 'Reading the boards…'}</p>
      ) : (
        <>
          {state.status === 'ready' && state.stale && (
            <p className="muted small health-stale" role="status">
              Not up to date: the server cannot be reached.
            </p>
          )}
          <p className="health-score" data-testid="health-score">
            {health.score}
            <span className="muted small"> / 100</span>
          </p>
          {items.length === 0 ? (
            <p className="muted">Nothing missing.</p>
          ) : (
            <ul className="health-items" aria-label="Missing from the plan">
              {(all ? items : items.slice(0, MAX_SHOWN)).map((item, index) => (
                <li key={item.key}>
                  <HealthLink item={item} onOpen={onOpen} linkRef={index === MAX_SHOWN ? firstMore : undefined} />
                </li>
              ))}
              {/* A button, not a count: the items past the first eight had no way to be reached (QA q27c). */}
              {items.length > MAX_SHOWN && (
                <li>
                  <button
                    type="button"
                    className="link-button"
                    aria-expanded={all}
                    onClick={() => {
                      setMoveFocus(!all)
                      setAll(!all)
                    }}
                  >
                    {all ? 'Show fewer' : `Show ${items.length - MAX_SHOWN} more`}
                  </button>
                </li>
              )}
            </ul>
          )}
        </>
      )}
    </section>
  )
}

function HealthLink({ item, onOpen, linkRef }: { item: HealthItem; onOpen(board: BoardId, shapeId?: string): void; linkRef?: Ref<HTMLAnchorElement> }) {
  return (
    <a
      ref={linkRef}
      href={`#${item.board}`}
      onClick={(event) => {
        event.preventDefault()
        onOpen(item.board, item.shapeId)
      }}
    >
      Missing: {item.message} — {item.fix.charAt(0).toLowerCase() + item.fix.slice(1)}{' '}
      <span className="muted small">({BOARD_TITLES[item.board]})</span>
    </a>
  )
}
