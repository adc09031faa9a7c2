import type { JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { checkRecordOps } from '../../server/sync/checkRecordOps.ts'
import type { UpdateOps, Writer } from '../../server/sync/updateOps.ts'
import { previewRecordChanges, writeRecordChanges } from '../../shared/docLayout.ts'
import { createKeyplanSchema } from '../../shared/schema.ts'
import { createSeededBoardUpdate } from '../../shared/templates.ts'
import { action, note } from '../../test/helpers/planBoards.ts'
import { opsOfChange } from '../../test/helpers/updateOpsOf.ts'
import { timeMedian } from '../stats.ts'
import type { Row, Suite } from '../types.ts'

/**
 * The record pass of the update guard (issue 11, `docs/server-rules.md` [R1]–[R7]): the server's
 * cost of judging one update's records before applying it, per record, on an action plan of
 * 500 cards. The reference column is tldraw's own record validation of the same records after
 * the update (`schema.types.shape.validate`), what tldraw's sync server pays per record pushed;
 * the record pass adds composing the records before and after from the log, the size caps,
 * prototype checks, template rights and creator stamps. In-process, no network, no storage.
 *
 * Runnable alone: `node --import tsx bench/suites/recordPass.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const SUITE = 'recordPass'
const OURS = 'keyplan record pass'
const TLDRAW = 'tldraw validate only'

const writer: Writer = { role: 'team', userId: 'user:bench', connId: 'bench', board: 'actions' }

type Case = { ops: UpdateOps; after: JsonObject[] }

/** Updates of one kind, decoded against `doc`, with the records they leave. */
function cases(doc: Y.Doc, count: number, change: (copy: Y.Doc, i: number) => void): Case[] {
  return Array.from({ length: count }, (_, i) => {
    const ops = opsOfChange(doc, (copy) => change(copy, i))
    const after = [...previewRecordChanges(doc, ops.inserts, ops.deletes).values()].flatMap((p) => (p.after ? [p.after] : []))
    return { ops, after }
  })
}

export const recordPassSuite: Suite = {
  name: SUITE,
  title: 'Record pass of the update guard',
  description:
    'µs per record for the server to judge an update before applying it (`checkRecordOps`: compose before/after from the ' +
    'record log, validate against the tldraw schema, size caps, prototype checks, rights, creator stamps), against tldraw\'s ' +
    'own validation of the same records alone. Action plan of 500 cards; a drag of 5 cards, and a new note.',
  columns: [OURS, TLDRAW],
  baseline: OURS,
  async run(opts) {
    const rows: Row[] = []
    const doc = new Y.Doc()
    Y.applyUpdate(doc, createSeededBoardUpdate('actions'))
    const cards = Array.from({ length: 500 }, (_, i) => action(`shape:c${i}`, { x: i, y: i }, { title: `Card ${i}` }) as unknown as JsonObject) // records are JSON
    writeRecordChanges(doc, { put: cards, remove: [] })
    const count = opts.quick ? 20 : 200
    const schema = createKeyplanSchema()
    const scenarios: [string, number, Case[]][] = [
      ['drag of 5 cards', 5, cases(doc, count, (c, i) => writeRecordChanges(c, { put: cards.slice(i % 100, (i % 100) + 5).map((r) => ({ ...r, x: (r.x as number) + i + 1 })), remove: [] }))],
      ['new note', 1, cases(doc, count, (c, i) => writeRecordChanges(c, { put: [note(`shape:n${i}`, { x: i, y: 0 }, 'Pilot in Q3') as unknown as JsonObject], remove: [] }))], // records are JSON
    ]
    for (const [scenario, perCase, list] of scenarios) {
      if (opts.scenario && !scenario.includes(opts.scenario)) continue
      opts.log(`${SUITE}: ${scenario}`)
      const ours = await timeMedian(opts.quick ? 3 : 15, 2, () => {
        for (const { ops } of list) if (!checkRecordOps(doc, ops, writer).ok) throw new Error(`refused: ${scenario}`)
      })
      const tldraw = await timeMedian(opts.quick ? 3 : 15, 2, () => {
        for (const { after } of list) for (const record of after) schema.types.shape.validate(record)
      })
      const perRecord = (ms: number) => Math.round(((ms * 1000) / (list.length * perCase)) * 10) / 10
      rows.push({ suite: SUITE, scenario, metric: 'per record (median)', unit: 'µs', better: 'lower', values: { [OURS]: perRecord(ours), [TLDRAW]: perRecord(tldraw) } })
    }
    return { rows, warnings: [] }
  },
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await recordPassSuite.run({
    quick: process.env.BENCH_QUICK === '1',
    candidates: undefined,
    scenario: process.env.BENCH_SCENARIO,
    tmpDir: '',
    log: (message) => process.stderr.write(`${message}\n`),
  })
  for (const row of result.rows) {
    const cells = recordPassSuite.columns.map((c) => `${c}: ${row.values[c] ?? '-'}`).join('  ')
    console.log(`${row.scenario} | ${row.metric} (${row.unit}) | ${cells}`)
  }
}
