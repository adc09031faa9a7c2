import type { TLRecord } from '@tldraw/tlschema'
import type { BoardId } from '../../shared/boards.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanRecordSchema, type PlanRecord } from '../../shared/plan.ts'
import { actionsCsv, stakeholdersCsv } from '../../shared/planCsv.ts'
import { diffPlans } from '../../shared/planDiff.ts'
import { planMarkdown } from '../../shared/planMarkdown.ts'
import {
  QUADRANT,
  action,
  arrow,
  arrowBinding,
  boardStore,
  geo,
  note,
  planInput,
  stakeholder,
  swotFrames,
} from '../../test/helpers/planBoards.ts'
import { objectiveOfAction, objectiveRecords, whitespaceRecords } from '../accountBoards.ts'
import { timeMedian } from '../stats.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

/**
 * Plan extraction (issue 4): the pure part of a snapshot, from the boards' tldraw records to a
 * validated plan record, then its diff and exports. Boards are generated through a real tldraw
 * store (so every record is valid) and extraction reads `store.allRecords()`. The reference
 * column loads the same records into a fresh tldraw store (`new Store` + `put`): the cost of
 * merely validating and indexing them the way a server holding an editor-less store would,
 * before any extraction. Runs in-process, no network, no storage.
 *
 * Runnable alone: `node --import tsx bench/suites/plan.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const SUITE = 'plan'
const OURS = 'keyplan extractPlan'
const STORE = 'tldraw store load'

/** A SWOT board: the four quadrant frames, notes in a grid over them (some parented to a
 * frame, as tldraw does when a note is dropped in one), a few labelled boxes and unsorted notes. */
function swotBoard(shapes: number): TLRecord[] {
  const records: TLRecord[] = swotFrames()
  const perRow = 12
  for (let i = 0; records.length < shapes; i++) {
    const col = i % (perRow * 2)
    const row = Math.floor(i / (perRow * 2))
    const x = col * 85 - 60
    const y = row * 85 - 60
    const id = `shape:n${i}`
    const text = `Note ${i}\nsecond line with more words for ${i % 7 === 0 ? 'a longer' : 'a'} note`
    if (i % 25 === 0) records.push(geo(id, { x, y }, 160, 80, text))
    else if (i % 3 === 0 && x >= 0 && x < QUADRANT.w - 200 && y >= 0 && y < QUADRANT.h - 200) {
      records.push(note(id, { x, y, parentId: 'shape:swot-strengths', meta: { createdBy: 'Ada' } }, text))
    } else records.push(note(id, { x, y }, text))
  }
  return records
}

/** A stakeholder map: half cards, half arrows bound at both ends to neighbouring cards. */
function stakeholderBoard(shapes: number): TLRecord[] {
  const cards = Math.ceil(shapes / 2)
  const records: TLRecord[] = []
  for (let i = 0; i < cards; i++) {
    records.push(stakeholder(`shape:s${i}`, { x: (i % 40) * 300, y: Math.floor(i / 40) * 200 }, { name: `Person ${i}`, jobTitle: 'Director', attitude: i % 2 ? 'supporter' : 'neutral' }))
  }
  for (let i = 0; records.length < shapes; i++) {
    const from = `shape:s${i % cards}`
    const to = `shape:s${(i + 1) % cards}`
    records.push(arrow(`shape:r${i}`, { x: 0, y: 0, meta: { relationship: i % 3 ? 'influences' : 'reports_to' } }))
    records.push(arrowBinding(`shape:r${i}`, from, 'start'), arrowBinding(`shape:r${i}`, to, 'end'))
  }
  return records
}

/** An action plan: action cards in four status columns, half of them with a due date. */
function actionBoard(shapes: number): TLRecord[] {
  const statuses = ['open', 'in_progress', 'done', 'blocked'] as const
  return Array.from({ length: shapes }, (_, i) =>
    action(`shape:a${i}`, { x: (i % 4) * 300, y: Math.floor(i / 4) * 140 }, {
      title: `Action ${i}`,
      owner: i % 2 ? 'Ada' : 'Grace',
      due: i % 2 ? `2026-${String((i % 12) + 1).padStart(2, '0')}-15` : '',
      status: statuses[i % 4] ?? 'open',
      objectives: [objectiveOfAction(i, shapes)],
    }),
  )
}

/** The records as a server reads them from a board: validated once by a real store. */
function viaStore(records: TLRecord[]): TLRecord[] {
  return boardStore(records).allRecords()
}

/** Median ms of `runs` calls after up to three warm-up calls. */
const time = (runs: number, fn: () => unknown) => timeMedian(runs, Math.min(3, runs), fn)

const round = (ms: number) => Math.round(ms * 100) / 100

export const planSuite: Suite = {
  name: SUITE,
  title: 'Plan extraction',
  description:
    'The pure part of a snapshot (issue 4): `extractPlan` from tldraw record JSON to a plan record ' +
    '(schema validation of every record, page geometry, quadrant containment, reading order, ' +
    'bound arrows), then `PlanRecordSchema.parse`, as the server does before storing. The ' +
    'reference column only loads the same records into a fresh tldraw store (`new Store` + ' +
    '`put`, which validates and indexes them) and extracts nothing. Median of repeated runs, in ' +
    'process. Target for a workshop of 5 boards (3 + the objectives and whitespace boards of issue 15) × 2,000 shapes: under 100 ms end to end.',
  columns: [OURS, STORE],
  baseline: OURS,
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const runs = opts.quick ? 5 : 25
    const big = opts.quick ? 1000 : 5000
    const each = opts.quick ? 400 : 2000
    const wanted = (name: string) => !opts.candidates || opts.candidates.includes(name)
    const rows: Row[] = []
    const warnings: Warning[] = []

    const scenarios: { name: string; boards: Partial<Record<BoardId, TLRecord[]>> }[] = [
      { name: `one SWOT board of ${big.toLocaleString('en')} shapes`, boards: { swot: viaStore(swotBoard(big)) } },
      {
        name: `workshop: 5 boards × ${each.toLocaleString('en')} shapes`,
        boards: {
          swot: viaStore(swotBoard(each)),
          stakeholders: viaStore(stakeholderBoard(each)),
          actions: viaStore(actionBoard(each)),
          objectives: viaStore(objectiveRecords(each)),
          whitespace: viaStore(whitespaceRecords(each)),
        },
      },
    ]
    let workshopPlan: PlanRecord | undefined
    for (const scenario of scenarios) {
      if (opts.scenario && !scenario.name.includes(opts.scenario)) continue
      const boards = Object.values(scenario.boards).map((records) => [...(records ?? [])])
      const values: Record<string, number> = {}
      if (wanted(OURS)) {
        opts.log(`${SUITE}: ${OURS}, ${scenario.name}`)
        let plan: PlanRecord | undefined
        values[OURS] = round(await time(runs, () => {
          plan = PlanRecordSchema.parse({ ...extractPlan(planInput(scenario.boards)), id: 'bench' })
        }))
        if (plan && plan.warnings.length > 0) {
          warnings.push({ suite: SUITE, candidate: OURS, scenario: scenario.name, message: `${plan.warnings.length} warnings, e.g. ${plan.warnings[0]?.message}` })
        }
        if (scenario.boards.actions) workshopPlan = plan
      }
      if (wanted(STORE)) {
        opts.log(`${SUITE}: ${STORE}, ${scenario.name}`)
        values[STORE] = round(await time(runs, () => boards.forEach((records) => boardStore(records))))
      }
      rows.push({ suite: SUITE, scenario: scenario.name, metric: 'records → plan (median)', unit: 'ms', better: 'lower', values })
    }

    if (workshopPlan) {
      const plan = workshopPlan
      // The previous snapshot: every third action done, so the diff has real changes to list.
      const older: PlanRecord = { ...plan, id: 'older', actions: plan.actions.map((a, i) => (i % 3 ? a : { ...a, status: 'done' })) }
      const scenario = `workshop: 5 boards × ${each.toLocaleString('en')} shapes`
      rows.push({ suite: SUITE, scenario, metric: 'diff with previous snapshot (median)', unit: 'ms', better: 'lower', values: { [OURS]: round(await time(runs, () => diffPlans(plan, older))) } })
      rows.push({
        suite: SUITE,
        scenario,
        metric: 'Markdown + 2 CSV exports (median)',
        unit: 'ms',
        better: 'lower',
        values: { [OURS]: round(await time(runs, () => [planMarkdown(plan), actionsCsv(plan), stakeholdersCsv(plan)])) },
      })
    }
    return { rows, warnings }
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await planSuite.run({
    quick: process.env.BENCH_QUICK === '1',
    candidates: process.env.BENCH_CANDIDATES?.split(','),
    scenario: process.env.BENCH_SCENARIO,
    tmpDir: '',
    log: (message) => process.stderr.write(`${message}\n`),
  })
  for (const row of result.rows) {
    const cells = planSuite.columns.map((c) => `${c}: ${row.values[c] ?? '-'}`).join('  ')
    console.log(`${row.scenario} | ${row.metric} (${row.unit}) | ${cells}`)
  }
  for (const w of result.warnings) console.log(`warning: ${w.candidate}: ${w.scenario}: ${w.message}`)
}
