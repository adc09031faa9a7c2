import { migratePlanRecord, PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'

/**
 * A small, complete plan record for export and view tests; parsed, so it stays valid. Written as a
 * version 2 record (no objectives, whitespace or competitors) and upgraded like a stored one; the
 * overrides apply before the upgrade, and again after it for the sections version 2 lacks.
 */
export function samplePlan(overrides: Partial<PlanRecord> = {}): PlanRecord {
  const stored = {
    schemaVersion: 2,
    id: 'snap-2',
    workshopId: 'w-acme',
    account: 'Acme Corp',
    title: 'FY27 planning',
    takenAt: '2026-11-22T14:05:00.000Z',
    trigger: 'manual',
    label: 'After the workshop',
    participants: ['Ada Lovelace', 'Grace Hopper'],
    swot: {
      strengths: [{ id: 'shape:s1', text: 'Strong brand in DACH', author: 'Ada Lovelace' }],
      weaknesses: [{ id: 'shape:w1', text: 'Slow delivery\nin Q3' }],
      opportunities: [],
      threats: [{ id: 'shape:t1', text: 'Competitor discount' }],
      unsorted: [{ id: 'shape:u1', text: 'Ask about budget' }],
    },
    stakeholders: [
      {
        id: 'shape:ceo',
        name: 'Dana Ortiz',
        jobTitle: 'CEO',
        department: 'Board',
        buyingRole: 'decision_maker',
        influence: 'high',
        attitude: 'supporter',
        owner: 'Ada Lovelace',
        notes: 'Prefers short decks',
      },
      {
        id: 'shape:cfo',
        name: 'Lee Chen',
        jobTitle: 'CFO',
        department: 'Finance',
        buyingRole: null,
        influence: 'medium',
        attitude: 'skeptic',
        owner: '',
        notes: '',
      },
    ],
    relationships: [{ id: 'shape:r1', from: 'shape:cfo', to: 'shape:ceo', kind: 'reports_to' }],
    actions: [
      { id: 'shape:a1', title: 'Send proposal', owner: 'Ada Lovelace', due: '2026-11-20', status: 'open', overdue: true },
      { id: 'shape:a2', title: 'Book site visit', owner: 'Grace Hopper', due: null, status: 'done', overdue: false },
    ],
    votes: [
      {
        id: 'vote-1',
        board: 'swot',
        question: 'Which threats matter most?',
        votesPerPerson: 3,
        closed: true,
        createdAt: '2026-11-22T13:40:00.000Z',
        totalVotes: 5,
        voters: 2,
        items: [
          { id: 'shape:t1', label: 'Competitor discount', votes: 3 },
          { id: 'shape:w1', label: 'Slow delivery\nin Q3', votes: 2 },
        ],
      },
    ],
    warnings: [{ board: 'swot', shapeId: 'shape:bad', message: 'Invalid shape record: bad richText' }],
    ...overrides,
  }
  return PlanRecordSchema.parse({ ...(migratePlanRecord({ ...stored, schemaVersion: 2 }) as object), ...overrides })
}
