import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { missingItems, type PlanHealth } from '../../shared/planHealth.ts'

/**
 * The plan health of a snapshot, as it was when taken (docs/plan-health.md): the score, and what
 * was missing, most important first, each opening its board in the review. Shown only to whom the
 * snapshot's health is given (a guest only when every board was shared, docs/security.md [A22]).
 */
export function SnapshotHealth({ health, onSelectBoard }: { health: PlanHealth; onSelectBoard(board: BoardId): void }) {
  const items = missingItems(health)
  return (
    <details className="snapshot-health">
      <summary>
        Plan health <strong data-testid="snapshot-health-score">{health.score}</strong>
        <span className="muted"> / 100</span>
        <span className="muted"> · {items.length === 0 ? 'nothing missing' : `${items.length} missing`}</span>
      </summary>
      {items.length > 0 && (
        <ul className="health-items" aria-label="Missing from the plan">
          {items.map((item) => (
            <li key={item.key}>
              <button type="button" className="link-button" onClick={() => onSelectBoard(item.board)}>
                Missing: {item.message} — {item.fix.charAt(0).toLowerCase() + item.fix.slice(1)}{' '}
                <span className="muted small">({BOARD_TITLES[item.board]})</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </details>
  )
}
