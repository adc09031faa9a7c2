import type { PlanVote } from '../../shared/plan.ts'
import { plural } from '../../shared/plural.ts'
import { voteRanks } from '../../shared/votes.ts'

/** The revealed dot votes of one board in a snapshot: each question with its items ranked. */
export function VoteSection({ votes }: { votes: readonly PlanVote[] }) {
  if (votes.length === 0) return null
  return (
    <section className="plan-section" aria-labelledby="plan-votes-heading">
      <h2 id="plan-votes-heading" className="plan-section-heading">
        Votes <span className="count">{votes.length}</span>
      </h2>
      {votes.map((vote) => (
        <div key={vote.id} className="table-wrap">
          <table className="plan-table" aria-label={vote.question}>
            <caption>
              {vote.question} · {plural(vote.totalVotes, 'vote')} from {plural(vote.voters, 'person', 'people')}
              {vote.closed ? '' : ' (still open)'}
            </caption>
            <thead>
              <tr>
                <th scope="col">Rank</th>
                <th scope="col">Item</th>
                <th scope="col">Votes</th>
              </tr>
            </thead>
            <tbody>
              {vote.items.map((item, i) => (
                <tr key={item.id}>
                  <td>{voteRanks(vote.items)[i]}</td>
                  <td>{item.label.trim() === '' ? <span className="muted">(deleted item)</span> : item.label}</td>
                  <td>{item.votes}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </section>
  )
}
