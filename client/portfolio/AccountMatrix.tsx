import { QUADRANTS, QUADRANT_TITLES, type AccountOverview, type Quadrant } from '../../shared/accounts.ts'

const SIZE = 320
const PAD = 36
/** Score 1–5 to a position inside the plot. */
const at = (score: number) => PAD + ((score - 1) / 4) * (SIZE - 2 * PAD)

const CORNERS: Record<Quadrant, { x: number; y: number }> = {
  strategic: { x: SIZE - PAD, y: PAD - 8 },
  develop: { x: PAD, y: PAD - 8 },
  maintain: { x: SIZE - PAD, y: SIZE - PAD + 22 },
  selective: { x: PAD, y: SIZE - PAD + 22 },
}

/**
 * The account selection matrix (docs/accounts.md [K5]): attractiveness (up) × our relative strength
 * (right), quadrants named, accounts whose tier does not fit their place ringed and listed.
 */
export function AccountMatrix({ accounts }: { accounts: readonly AccountOverview[] }) {
  const placed = accounts.filter((a) => a.selection.quadrant !== null)
  const mismatches = placed.filter((a) => a.selection.mismatch !== null)
  const unplaced = accounts.length - placed.length
  return (
    <figure className="account-matrix" aria-label="Selection matrix">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-labelledby="matrix-caption">
        <rect x={PAD} y={PAD} width={SIZE - 2 * PAD} height={SIZE - 2 * PAD} className="matrix-frame" />
        <line x1={SIZE / 2} y1={PAD} x2={SIZE / 2} y2={SIZE - PAD} className="matrix-axis" />
        <line x1={PAD} y1={SIZE / 2} x2={SIZE - PAD} y2={SIZE / 2} className="matrix-axis" />
        {QUADRANTS.map((quadrant) => (
          <g key={quadrant}>
            <title>{QUADRANT_TITLES[quadrant]}</title>
            <text x={CORNERS[quadrant].x} y={CORNERS[quadrant].y} textAnchor={CORNERS[quadrant].x > SIZE / 2 ? 'end' : 'start'} className="matrix-quadrant" data-quadrant={quadrant}>
              {quadrant.charAt(0).toUpperCase() + quadrant.slice(1)}
            </text>
          </g>
        ))}
        <text x={SIZE / 2} y={SIZE - 4} textAnchor="middle" className="matrix-label">Our relative strength →</text>
        <text x={10} y={SIZE / 2} textAnchor="middle" transform={`rotate(-90 10 ${SIZE / 2})`} className="matrix-label">Attractiveness →</text>
        {placed.map((account) => (
          <g key={account.id} className={account.selection.mismatch ? 'matrix-account matrix-mismatch' : 'matrix-account'} data-account={account.name}>
            <circle cx={at(account.selection.strength ?? 1)} cy={SIZE - at(account.selection.attractiveness ?? 1)} r={account.tier === 'strategic' ? 7 : 5}>
              <title>{`${account.name} (${account.tier}): ${account.selection.quadrant}`}</title>
            </circle>
            {/* Right of the dot, or left of it in the right half: a name there ran off the matrix (QA q27c: "A…"). */}
            <text
              x={at(account.selection.strength ?? 1) + (at(account.selection.strength ?? 1) > SIZE / 2 ? -9 : 9)}
              y={SIZE - at(account.selection.attractiveness ?? 1) + 4}
              textAnchor={at(account.selection.strength ?? 1) > SIZE / 2 ? 'end' : 'start'}
              className="matrix-name"
            >
              {account.name}
            </text>
          </g>
        ))}
      </svg>
      <figcaption id="matrix-caption">
        Attractiveness (revenue, profitability, growth, strategic importance) against our relative strength; larger dots are strategic tier.
        {unplaced > 0 && ` Not yet scored: ${unplaced}.`}
      </figcaption>
      {mismatches.length > 0 && (
        <ul className="matrix-mismatches" aria-label="Tier mismatches">
          {mismatches.map((a) => (
            <li key={a.id}>
              <strong>{a.name}</strong>: {a.selection.mismatch}
            </li>
          ))}
        </ul>
      )}
    </figure>
  )
}
