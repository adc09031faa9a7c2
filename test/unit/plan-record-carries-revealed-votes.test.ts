/**
 * Dot votes in the plan record ([P10]): revealed votes only, items ranked with their labels, in
 * Markdown, CSV, diffs, customer views and the JSON Schema; records of plan schema version 1 (no
 * votes) still load.
 */
import { describe, expect, test } from 'vitest'
import { customerView } from '../../shared/customerView.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { migratePlanRecord, PLAN_SCHEMA_VERSION, PlanDraftSchema, PlanRecordSchema, planJsonSchema } from '../../shared/plan.ts'
import { votesCsv } from '../../shared/planCsv.ts'
import { diffPlans } from '../../shared/planDiff.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import type { VoteRecord } from '../../shared/votes.ts'
import { action, boardStore, competitor, note, objective, planInput, swotFrames, whitespaceCell } from '../helpers/planBoards.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

const ada = 'user:00000000-0000-4000-8000-00000000000a'
const bob = 'user:00000000-0000-4000-8000-00000000000b'

function vote(overrides: Partial<VoteRecord>): VoteRecord {
  return {
    id: 'v1',
    workshopId: 'w-acme',
    board: 'swot',
    question: 'Which threats matter most?',
    votesPerPerson: 3,
    shapeTypes: ['note'],
    revealed: true,
    closed: true,
    createdAt: '2026-11-22T13:00:00.000Z',
    ballots: [],
    ...overrides,
  }
}

describe('[P10] extraction', () => {
  test('takes revealed votes only, ranks items by votes with their text, and labels deleted items empty', () => {
    const swot = boardStore([...swotFrames(), note('shape:t1', { x: 1100, y: 900 }, 'Competitor discount'), note('shape:t2', { x: 1300, y: 900 }, 'Price war')])
    const actions = boardStore([action('shape:a1', { x: 100, y: 300 }, { title: 'Send proposal' })])
    const votes = [
      vote({ ballots: [{ userId: ada, item: 'shape:t2' }, { userId: bob, item: 'shape:t1' }, { userId: bob, item: 'shape:t2' }, { userId: ada, item: 'shape:gone' }] }),
      vote({ id: 'v2', revealed: false, closed: false, ballots: [{ userId: ada, item: 'shape:t1' }] }),
      vote({ id: 'v3', board: 'actions', question: 'Which first?', shapeTypes: ['action'], ballots: [{ userId: ada, item: 'shape:a1' }] }),
    ]
    const plan = extractPlan({ ...planInput({ swot: swot.allRecords(), actions: actions.allRecords() }), votes })
    PlanDraftSchema.parse(plan)
    expect(plan.votes.map((v) => v.id)).toEqual(['v1', 'v3'])
    expect(plan.votes[0]).toMatchObject({
      question: 'Which threats matter most?',
      totalVotes: 4,
      voters: 2,
      items: [
        { id: 'shape:t2', label: 'Price war', votes: 2 },
        { id: 'shape:gone', label: '', votes: 1 },
        { id: 'shape:t1', label: 'Competitor discount', votes: 1 },
      ],
    })
    expect(plan.votes[1]?.items).toEqual([{ id: 'shape:a1', label: 'Send proposal', votes: 1 }])
  })
})

describe('[P10] votes on the objectives and whitespace boards', () => {
  test('objective, whitespace cell and competitor cards are labelled by their objective, row × column and name', () => {
    const objectives = boardStore([objective('shape:o1', { x: 40, y: 80 }, { objective: 'Grow logistics revenue' })])
    const whitespace = boardStore([
      whitespaceCell('shape:c1', { x: 240, y: 140 }, { row: 'Logistics', column: 'Tracking', kind: 'opportunity' }),
      competitor('shape:k1', { x: 1900, y: 80 }, { name: 'Globex' }),
    ])
    const votes = [
      vote({ id: 'v1', board: 'objectives', shapeTypes: ['objective'], ballots: [{ userId: ada, item: 'shape:o1' }] }),
      vote({ id: 'v2', board: 'whitespace', shapeTypes: ['whitespace', 'competitor'], ballots: [{ userId: ada, item: 'shape:c1' }, { userId: bob, item: 'shape:k1' }, { userId: ada, item: 'shape:k1' }] }),
    ]
    const plan = extractPlan({ ...planInput({ objectives: objectives.allRecords(), whitespace: whitespace.allRecords() }), votes })
    PlanDraftSchema.parse(plan)
    expect(plan.votes[0]?.items).toEqual([{ id: 'shape:o1', label: 'Grow logistics revenue', votes: 1 }])
    expect(plan.votes[1]?.items).toEqual([
      { id: 'shape:k1', label: 'Globex', votes: 2 },
      { id: 'shape:c1', label: 'Logistics × Tracking', votes: 1 },
    ])
  })
})

describe('plan schema version', () => {
  test('a version 1 record (no votes) loads as the current version with no votes', () => {
    const { votes: _votes, ...rest } = samplePlan()
    const stored = { ...rest, schemaVersion: 1 }
    expect(PlanRecordSchema.safeParse(stored).success).toBe(false)
    const record = PlanRecordSchema.parse(migratePlanRecord(stored))
    expect(record).toMatchObject({ schemaVersion: PLAN_SCHEMA_VERSION, votes: [] })
  })

  test('the JSON Schema describes votes', () => {
    const schema = planJsonSchema() as { properties: Record<string, unknown>; required: string[] }
    expect(schema.required).toContain('votes')
    expect(JSON.stringify(schema.properties.votes)).toContain('Items ranked by votes')
  })
})

describe('exports, diffs and views', () => {
  test('Markdown lists each vote’s items ranked, with totals', () => {
    const markdown = planMarkdown(samplePlan())
    expect(markdown).toContain('## Votes')
    expect(markdown).toContain('### Which threats matter most?')
    expect(markdown).toContain('SWOT, 3 votes per person; 5 votes from 2 people.')
    expect(markdown).toContain('| 1 | Competitor discount | 3 |\n| 2 | Slow delivery<br>in Q3 | 2 |')
  })

  test('Markdown counts one vote and one person in the singular', () => {
    const plan = samplePlan()
    const [vote] = plan.votes
    if (!vote) throw new Error('the sample plan has a vote')
    const one = { ...vote, votesPerPerson: 1, totalVotes: 1, voters: 1, items: vote.items.slice(0, 1).map((item) => ({ ...item, votes: 1 })) }
    expect(planMarkdown({ ...plan, votes: [one] })).toContain('SWOT, 1 vote per person; 1 vote from 1 person.')
  })

  test('CSV has one row per ranked item', () => {
    expect(votesCsv(samplePlan())).toBe(
      'Vote,Question,Board,Rank,Item id,Item,Votes\r\n' +
        'vote-1,Which threats matter most?,SWOT,1,shape:t1,Competitor discount,3\r\n' +
        'vote-1,Which threats matter most?,SWOT,2,shape:w1,"Slow delivery\nin Q3",2\r\n',
    )
  })

  test('items with as many votes share a rank, and the next rank skips (Markdown and CSV)', () => {
    const plan = samplePlan()
    const [vote] = plan.votes
    if (!vote) throw new Error('the sample plan has a vote')
    const items = [
      { id: 'shape:t1', label: 'Competitor discount', votes: 2 },
      { id: 'shape:w1', label: 'Price pressure', votes: 2 },
      { id: 'shape:w2', label: 'Churn', votes: 1 },
    ]
    const tied = { ...plan, votes: [{ ...vote, totalVotes: 5, items }] }
    expect(planMarkdown(tied)).toContain('| 1 | Competitor discount | 2 |\n| 1 | Price pressure | 2 |\n| 3 | Churn | 1 |')
    expect(votesCsv(tied).split('\r\n').slice(1, 4).map((row) => row.split(',')[3])).toEqual(['1', '1', '3'])
  })

  test('a diff shows a vote added and a changed ranking', () => {
    const older = samplePlan({ id: 'old', votes: [] })
    const newer = samplePlan({ id: 'new' })
    expect(diffPlans(newer, older).votes?.added.map((v) => v.question)).toEqual(['Which threats matter most?'])
    const [first] = newer.votes
    if (!first) throw new Error('sample has a vote')
    const recount = samplePlan({ id: 'newest', votes: [{ ...first, totalVotes: 6, items: [{ ...first.items[1]!, votes: 4 }, first.items[0]!] }] }) // both items exist in the sample
    const changed = diffPlans(recount, newer).votes?.changed[0]?.changes.map((c) => c.field)
    expect(changed).toEqual(['totalVotes', 'ranking'])
    // An item deleted before the snapshot reads "(deleted item)" there, as everywhere, not its shape id (QA q28a).
    const deleted = samplePlan({ id: 'deleted', votes: [{ ...first, items: [...first.items, { id: 'shape:wouUax9HjWIDHbs9kD-MQ', label: '', votes: 1 }] }] })
    const ranking = diffPlans(deleted, newer).votes?.changed[0]?.changes.find((c) => c.field === 'ranking')?.after
    expect(ranking).toContain('(deleted item) (1)')
    expect(ranking).not.toContain('shape:')
  })

  test('a customer view keeps only votes on customer-facing boards', () => {
    expect(customerView(samplePlan(), { swot: false, stakeholders: false, objectives: true, actions: true, whitespace: true }).votes).toEqual([])
    expect(customerView(samplePlan(), { swot: true, stakeholders: false, objectives: false, actions: false, whitespace: false }).votes).toHaveLength(1)
  })
})
