import { describe, expect, test } from 'vitest'
import { customerView } from '../../shared/customerView.ts'
import { actionsCsv, csvField, stakeholdersCsv } from '../../shared/planCsv.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import type { PlanRecord } from '../../shared/plan.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

/** A minimal RFC 4180 reader, to check that what we write reads back field for field. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++
      else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') row.push(field), (field = '')
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++
    else field += c
  }
  return rows
}

describe('Markdown export', () => {
  const markdown = planMarkdown(samplePlan())

  test('header: title, account, date, trigger, label and participants', () => {
    expect(markdown.split('\n').slice(0, 5)).toEqual([
      '# FY27 planning',
      '',
      '**Account:** Acme Corp  ',
      '**Snapshot:** 2026-11-22 14:05 UTC, saved by the facilitator — After the workshop  ',
      '**Participants:** Ada Lovelace, Grace Hopper',
    ])
  })

  test("header date in the workshop's time zone, as the PDF and the file name give it (QA: UTC in Markdown, the next day in the PDF)", () => {
    const header = (timeZone: string) => planMarkdown(samplePlan(), timeZone).split('\n')[3]
    // 14:05 UTC is 03:05 the next day in Auckland (UTC+13 in November).
    expect(header('Pacific/Auckland')).toBe('**Snapshot:** 2026-11-23 03:05 (Pacific/Auckland), saved by the facilitator — After the workshop  ')
    expect(header('America/New_York')).toBe('**Snapshot:** 2026-11-22 09:05 (America/New_York), saved by the facilitator — After the workshop  ')
    expect(header('UTC')).toBe('**Snapshot:** 2026-11-22 14:05 UTC, saved by the facilitator — After the workshop  ')
  })

  test('SWOT as four lists plus the unsorted notes; multi-line notes stay in their item', () => {
    expect(markdown).toContain('### Strengths\n\n- Strong brand in DACH (Ada Lovelace)\n')
    expect(markdown).toContain('### Weaknesses\n\n- Slow delivery\\\n  in Q3\n')
    expect(markdown).toContain('### Opportunities\n\n_None._\n')
    expect(markdown).toContain('### Not in a quadrant\n\n- Ask about budget\n')
  })

  test('stakeholder table with display labels, relationships by name, actions with overdue marked', () => {
    expect(markdown).toContain(
      '| Name | Job title | Department | Buying role | Influence | Attitude | Owner | Notes |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n' +
        '| Dana Ortiz | CEO | Board | Decision maker | High | Supporter | Ada Lovelace | Prefers short decks |\n' +
        // Empty fields read "—", as on the review page (QA q27a); empty notes stay blank.
        '| Lee Chen | CFO | Finance | — | Medium | Skeptic | — |  |\n',
    )
    expect(markdown).toContain('## Relationships\n\n- Lee Chen → Dana Ortiz: Reports to\n')
    expect(markdown).toContain('| Send proposal | Ada Lovelace | 2026-11-20 | Open | **Overdue** |\n')
    expect(markdown).toContain('| Book site visit | Grace Hopper | — | Done |  |\n')
    expect(markdown).toContain('1 of 2 actions overdue.')
    // An untitled action is "(untitled)" in the table, as in the list of actions serving no objective.
    const untitled = samplePlan()
    untitled.actions = [{ id: 'shape:a3', title: '  ', owner: 'Ada Lovelace', due: null, status: 'open', overdue: false, objectives: [] }]
    expect(planMarkdown(untitled)).toContain('| (untitled) | Ada Lovelace | — | Open |  |\n')
    expect(markdown).toContain('## Could not be read\n\n- SWOT: Invalid shape record: bad richText\n')
  })

  test('objective amounts with thousands separators and both digits of their cents; a missing one shows —, as unknown does everywhere in the Markdown (QA pass q26b)', () => {
    const objective: PlanRecord['objectives'][number] = {
      id: 'shape:obj1', objective: 'Grow revenue', kpiType: 'revenue_growth', measure: '', unit: 'EUR', baseline: 1234567.89, target: null,
      targetDate: null, owner: '', status: 'on_track', pastTargetDate: false, strategy: '', addresses: [], actions: [],
    }
    const text = planMarkdown(samplePlan({ objectives: [objective] }))
    expect(text).toContain('- **Baseline → target:** 1,234,567.89 EUR → —\n')
    const half = planMarkdown(samplePlan({ objectives: [{ ...objective, baseline: 1_250_000.5, target: 2_000_000 }] }))
    expect(half).toContain('- **Baseline → target:** 1,250,000.50 EUR → 2,000,000 EUR\n')
    // Finer than cents: as entered (QA q32a: 0.045 % read 0.05 %).
    const fine = planMarkdown(samplePlan({ objectives: [{ ...objective, unit: '%', baseline: 0.125, target: 0.045 }] }))
    expect(fine).toContain('- **Baseline → target:** 0.125 % → 0.045 %\n')
  })

  test("an objective's strategy keeps its lines inside its list item (QA q29b: a numbered plan ran together)", () => {
    const objective: PlanRecord['objectives'][number] = {
      id: 'shape:obj1', objective: 'Grow revenue', kpiType: 'revenue_growth', measure: '', unit: 'EUR', baseline: null, target: null,
      targetDate: null, owner: '', status: 'on_track', pastTargetDate: false, strategy: '1. Pilot in Lyon\n2. Roll out', addresses: [], actions: [],
    }
    expect(planMarkdown(samplePlan({ objectives: [objective] }))).toContain('- **Strategy:** 1\\. Pilot in Lyon\\\n  2\\. Roll out\n')
  })

  test('pipes and newlines in table cells are escaped, so a row stays one row of the same columns', () => {
    const plan = samplePlan()
    plan.actions = [{ ...plan.actions[0]!, title: 'Price | terms\nthen sign' }] // the sample has actions
    const row = planMarkdown(plan).split('\n').find((line) => line.startsWith('| Price'))
    expect(row).toBe('| Price \\| terms<br>then sign | Ada Lovelace | 2026-11-20 | Open | **Overdue** |')
  })

  test('board text cannot add headings, links, HTML or emphasis', () => {
    const plan = samplePlan()
    plan.swot.strengths = [{ id: 'shape:x', text: '# Big\n- [click](http://evil) <script>*x*</script>\n1. one' }]
    expect(planMarkdown(plan)).toContain(
      '- \\# Big\\\n  \\- \\[click\\](http://evil) \\<script\\>\\*x\\*\\</script\\>\\\n  1\\. one\n',
    )
  })

  test('sections absent from a customer view are left out entirely', () => {
    const guest = planMarkdown(customerView(samplePlan(), { swot: false, stakeholders: false, objectives: false, actions: true, whitespace: false }))
    expect(guest).toContain('## Actions')
    for (const hidden of ['## SWOT', 'Strong brand', '## Stakeholders', 'Dana Ortiz', '## Relationships', 'Could not be read']) {
      expect(guest).not.toContain(hidden)
    }
  })
})

describe('CSV export', () => {
  test('actions: header, labels, empty due date, overdue flag; CRLF line ends', () => {
    expect(actionsCsv(samplePlan())).toBe(
      'Id,Action,Owner,Due,Status,Overdue\r\n' +
        'shape:a1,Send proposal,Ada Lovelace,2026-11-20,Open,yes\r\n' +
        'shape:a2,Book site visit,Grace Hopper,,Done,\r\n',
    )
  })

  test('stakeholders: every field with display labels', () => {
    expect(parseCsv(stakeholdersCsv(samplePlan()))).toEqual([
      ['Id', 'Name', 'Job title', 'Department', 'Buying role', 'Influence', 'Attitude', 'Relationship owner', 'Notes'],
      ['shape:ceo', 'Dana Ortiz', 'CEO', 'Board', 'Decision maker', 'High', 'Supporter', 'Ada Lovelace', 'Prefers short decks'],
      ['shape:cfo', 'Lee Chen', 'CFO', 'Finance', '', 'Medium', 'Skeptic', '', ''],
    ])
  })

  test('RFC 4180 quoting: commas, quotes and line breaks', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('Smith, Jr.')).toBe('"Smith, Jr."')
    expect(csvField('the "big" deal')).toBe('"the ""big"" deal"')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('cr\r\nlf')).toBe('"cr\r\nlf"')
    const plan = samplePlan()
    plan.stakeholders[0] = { ...plan.stakeholders[0]!, notes: 'Said: "no budget",\nthen left' } // the sample has stakeholders
    expect(parseCsv(stakeholdersCsv(plan))[1]?.[8]).toBe('Said: "no budget",\nthen left')
  })

  test('formula injection: cells starting with = + - @ tab or CR get a leading quote', () => {
    for (const [input, output] of [
      ['=HYPERLINK("http://evil","x")', '"\'=HYPERLINK(""http://evil"",""x"")"'],
      ['+1+1', "'+1+1"],
      ['-2+3', "'-2+3"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\t=1', "'\t=1"],
      ['\r=1', `"'\r=1"`],
      ['a=1', 'a=1'],
      ['', ''],
      // A negative amount is a number to a spreadsheet, not a formula: quoted, it read as text.
      ['-2.5', '-2.5'],
      ['-1200000', '-1200000'],
      ['-2.5e-7', '-2.5e-7'],
      ['-2.5 EUR', "'-2.5 EUR"],
    ]) {
      expect(csvField(input!)).toBe(output) // pairs above are complete
    }
    const plan = samplePlan()
    plan.actions = [{ ...plan.actions[0]!, title: '=cmd|" /C calc"!A0', owner: '@evil' }] // the sample has actions
    expect(parseCsv(actionsCsv(plan))[1]?.slice(1, 3)).toEqual(['\'=cmd|" /C calc"!A0', "'@evil"])
  })
})

test("the Markdown lists whitespace cells' notes after the matrix, by unit and offering, and never a withheld one (QA pass q26b)", () => {
  const whitespace = {
    rows: ['Logistics'],
    columns: ['Billing'],
    cells: [{ id: 'shape:c1', row: 'Logistics', column: 'Billing', kind: 'we_supply', competitor: '', value: 1000, probability: null, notes: 'Contract runs\nuntil 2028' }],
    opportunities: { count: 0, value: 0, weighted: 0, byRow: [] },
    shareOfWallet: [],
  } as const
  const plan = samplePlan({ whitespace: structuredClone(whitespace) as never })
  expect(planMarkdown(plan)).toContain('### Cell notes\n\n- **Logistics × Billing:** Contract runs\\\n  until 2028\n')
  expect(planMarkdown({ ...plan, withheld: ['whitespace.notes'] })).not.toContain('Contract runs')
})
