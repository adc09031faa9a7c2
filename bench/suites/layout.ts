import { isEqual, type JsonObject } from '@tldraw/utils'
import * as Y from 'yjs'
import { LAYOUT_CANDIDATES, type LayoutCandidate, type LayoutHandle } from '../layouts/candidates.ts'
import { median } from '../stats.ts'
import type { Row, Suite, SuiteOptions, SuiteResult, Warning } from '../types.ts'

/**
 * Document layouts (issue 3): how tldraw records are stored in a board's Y.Doc. For each
 * layout: stored bytes and time per write for drags of one shape and of five shapes together,
 * time for a peer to apply those updates and to load the board, and whether concurrent edits of
 * different fields of one card both survive. Runs in-process (Node), no network.
 *
 * Runnable alone: `node --import tsx bench/suites/layout.ts` (`BENCH_QUICK=1` for a smoke run).
 */

const SHAPES_ON_BOARD = 100
/** Measured runs per candidate and scenario (median reported). */
const ROUNDS = 3

function geoShape(i: number): JsonObject {
  return {
    id: `shape:bench${String(i).padStart(4, '0')}`,
    typeName: 'shape',
    type: 'geo',
    x: (i % 10) * 250,
    y: Math.floor(i / 10) * 200,
    rotation: 0,
    index: `a${i.toString(36)}`,
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      w: 200,
      h: 150,
      geo: 'rectangle',
      dash: 'draw',
      growY: 0,
      url: '',
      scale: 1,
      color: 'black',
      labelColor: 'black',
      fill: 'none',
      size: 'm',
      font: 'draw',
      align: 'middle',
      verticalAlign: 'middle',
      richText: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `Shape ${i}` }] }] },
    },
  }
}

function stakeholderCard(): JsonObject {
  return {
    id: 'shape:card',
    typeName: 'shape',
    type: 'stakeholder',
    x: 0,
    y: 0,
    rotation: 0,
    index: 'a1',
    parentId: 'page:page',
    isLocked: false,
    opacity: 1,
    meta: {},
    props: {
      w: 240,
      h: 150,
      name: 'Dana Ruiz',
      jobTitle: 'CFO',
      department: 'Finance',
      buyingRole: 'economic_buyer',
      influence: 'high',
      attitude: 'neutral',
      owner: '',
      notes: '',
    },
  }
}

function withProps(record: JsonObject, props: JsonObject): JsonObject {
  return { ...record, props: { ...(record.props as JsonObject), ...props } } // props is an object in every shape
}

/** A board of SHAPES_ON_BOARD shapes, its handle and the updates it emits. */
function newBoard(candidate: LayoutCandidate): { doc: Y.Doc; handle: LayoutHandle; shapes: JsonObject[]; updates: Uint8Array[] } {
  const doc = new Y.Doc()
  const handle = candidate.open(doc)
  const shapes = Array.from({ length: SHAPES_ON_BOARD }, (_, i) => geoShape(i))
  handle.write({ put: shapes, remove: [] })
  const updates: Uint8Array[] = []
  doc.on('update', (update: Uint8Array) => updates.push(update))
  return { doc, handle, shapes, updates }
}

interface DragResult {
  bytes: number
  usPerWrite: number
  usPerRemoteUpdate: number
  loadMs: number
  correct: boolean
}

/** `writes` store changes, each moving `moved` shapes by one pixel. */
function drag(candidate: LayoutCandidate, moved: number, writes: number): DragResult {
  const { doc, handle, shapes, updates } = newBoard(candidate)
  const initial = Y.encodeStateAsUpdate(doc)
  const current = shapes.slice(0, moved)
  const started = performance.now()
  for (let w = 0; w < writes; w++) {
    for (let s = 0; s < moved; s++) {
      const shape = current[s] as JsonObject // s < moved = current.length
      current[s] = { ...shape, x: (shape.x as number) + 1, y: (shape.y as number) + 1 } // geoShape sets numbers
    }
    handle.write({ put: current, remove: [] })
  }
  const usPerWrite = ((performance.now() - started) * 1000) / writes

  const peer = new Y.Doc()
  Y.applyUpdate(peer, initial)
  const peerHandle = candidate.open(peer)
  const applyStarted = performance.now()
  for (const update of updates) Y.applyUpdate(peer, update)
  const usPerRemoteUpdate = ((performance.now() - applyStarted) * 1000) / updates.length

  const encoded = Y.encodeStateAsUpdate(doc)
  const loadStarted = performance.now()
  const loaded = new Y.Doc()
  Y.applyUpdate(loaded, encoded)
  const loadedRecords = candidate.open(loaded).read()
  const loadMs = performance.now() - loadStarted

  const last = current[0] as JsonObject // moved >= 1
  const correct =
    loadedRecords.size === SHAPES_ON_BOARD &&
    loadedRecords.get(last.id as string)?.x === last.x && // ids are strings
    peerHandle.read().get(last.id as string)?.x === last.x
  return { bytes: encoded.length, usPerWrite, usPerRemoteUpdate, loadMs, correct }
}

function exchange(a: Y.Doc, b: Y.Doc): void {
  const toB = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
  const toA = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
  Y.applyUpdate(b, toB)
  Y.applyUpdate(a, toA)
}

/** Two peers edit different fields of one card at the same time: how many of the 2 edits survive. */
function concurrentFieldEdits(candidate: LayoutCandidate): number {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const ha = candidate.open(a)
  const hb = candidate.open(b)
  const card = stakeholderCard()
  ha.write({ put: [card], remove: [] })
  exchange(a, b)
  ha.write({ put: [withProps(card, { attitude: 'champion' })], remove: [] })
  hb.write({ put: [withProps(card, { owner: 'Sam' })], remove: [] })
  exchange(a, b)
  const propsA = ha.read().get('shape:card')?.props as JsonObject | undefined // props of a shape record
  const propsB = hb.read().get('shape:card')?.props as JsonObject | undefined // props of a shape record
  if (!isEqual(propsA, propsB)) return 0
  return (propsA?.attitude === 'champion' ? 1 : 0) + (propsA?.owner === 'Sam' ? 1 : 0)
}


/** One peer deletes a card while another edits it: 1 when both agree it is gone, no half record. */
function deleteWhileEditing(candidate: LayoutCandidate): number {
  const a = new Y.Doc()
  const b = new Y.Doc()
  const ha = candidate.open(a)
  const hb = candidate.open(b)
  const card = stakeholderCard()
  ha.write({ put: [card], remove: [] })
  exchange(a, b)
  ha.write({ put: [], remove: ['shape:card'] })
  hb.write({ put: [withProps(card, { attitude: 'blocker' })], remove: [] })
  exchange(a, b)
  const left = [ha.read().get('shape:card'), hb.read().get('shape:card')]
  // Either outcome is consistent (gone, or the whole edited card); a half record is not.
  if (!isEqual(left[0], left[1])) return 0
  const record = left[0]
  return record === undefined || (record.props as JsonObject | undefined)?.name === 'Dana Ruiz' ? 1 : 0 // props of a shape
}

export const layoutSuite: Suite = {
  name: 'layout',
  title: 'Yjs document layouts',
  description:
    `Each layout stores a board of ${SHAPES_ON_BOARD} tldraw geo shapes in a Y.Doc, then writes N store changes ` +
    'moving one shape, or five shapes together (one transaction per change). Bytes: `Y.encodeStateAsUpdate` ' +
    'after the drag. Write: mean time per change on the writing doc. Remote: mean time for a peer to apply one ' +
    'update. Load: apply the whole document to a fresh doc and read all records. Each drag runs once to warm ' +
    'up; numbers are the median of 3 rounds that interleave the layouts. The writing doc has an `update` listener, ' +
    'as with a provider. Concurrent edits: two peers ' +
    'change different props of one card at once; how many of the 2 edits survive on both.',
  columns: LAYOUT_CANDIDATES.map((c) => c.name),
  baseline: 'record-log',
  async run(opts: SuiteOptions): Promise<SuiteResult> {
    const writes = opts.quick ? 1_000 : 10_000
    const candidates = LAYOUT_CANDIDATES.filter((c) => !opts.candidates || opts.candidates.includes(c.name))
    const rows: Row[] = []
    const warnings: Warning[] = []
    const row = (scenario: string, metric: string, unit: string, better: Row['better'], values: Record<string, number>): Row => ({
      suite: 'layout',
      scenario,
      metric,
      unit,
      better,
      values,
    })
    const wanted = (scenario: string) => !opts.scenario || scenario.includes(opts.scenario)
    for (const moved of [1, 5]) {
      const scenario = `${writes.toLocaleString('en')} moves of ${moved === 1 ? 'one shape' : 'five shapes together'}`
      if (!wanted(scenario)) continue
      // Rounds interleave the candidates so that noise from the machine spreads over all of them;
      // each number is the median of the rounds.
      const runs: Record<string, DragResult[]> = {}
      for (let round = 0; round < ROUNDS; round++) {
        for (const candidate of candidates) {
          opts.log(`layout: ${candidate.name}, ${scenario}, round ${round + 1}/${ROUNDS}`)
          if (round === 0) drag(candidate, moved, Math.min(writes, 2_000)) // warm-up: let the JIT settle first
          const result = drag(candidate, moved, writes)
          ;(runs[candidate.name] ??= []).push(result)
          if (!result.correct && round === 0) {
            warnings.push({ suite: 'layout', candidate: candidate.name, scenario, message: 'records read back differ from those written' })
          }
        }
      }
      const results: Record<string, DragResult> = Object.fromEntries(
        Object.entries(runs).map(([name, list]) => [
          name,
          {
            bytes: median(list.map((r) => r.bytes)),
            usPerWrite: median(list.map((r) => r.usPerWrite)),
            usPerRemoteUpdate: median(list.map((r) => r.usPerRemoteUpdate)),
            loadMs: median(list.map((r) => r.loadMs)),
            correct: list.every((r) => r.correct),
          },
        ])
      )
      const pick = (f: (r: DragResult) => number) =>
        Object.fromEntries(Object.entries(results).map(([name, r]) => [name, Math.round(f(r) * 100) / 100]))
      rows.push(row(scenario, 'document size', 'KB', 'lower', pick((r) => r.bytes / 1024)))
      rows.push(row(scenario, 'time per write', 'µs', 'lower', pick((r) => r.usPerWrite)))
      rows.push(row(scenario, 'peer applies one update', 'µs', 'lower', pick((r) => r.usPerRemoteUpdate)))
      rows.push(row(scenario, 'load board', 'ms', 'lower', pick((r) => r.loadMs)))
    }
    const kept: Record<string, number> = {}
    const noHalf: Record<string, number> = {}
    const concurrency = ['two peers edit different fields of one card', 'one peer deletes a card another edits'] as const
    for (const candidate of concurrency.some(wanted) ? candidates : []) {
      kept[candidate.name] = concurrentFieldEdits(candidate)
      noHalf[candidate.name] = deleteWhileEditing(candidate)
      if (kept[candidate.name] !== 2) {
        warnings.push({ suite: 'layout', candidate: candidate.name, scenario: 'concurrent field edits', message: `${2 - (kept[candidate.name] ?? 0)} of 2 concurrent edits of different fields lost` })
      }
      if (noHalf[candidate.name] !== 1) {
        warnings.push({ suite: 'layout', candidate: candidate.name, scenario: 'delete while editing', message: 'peers disagree or a half record remains' })
      }
    }
    if (wanted(concurrency[0])) rows.push(row(concurrency[0], 'edits kept', 'of 2', 'higher', kept))
    if (wanted(concurrency[1])) rows.push(row(concurrency[1], 'consistent', '1 = yes', 'higher', noHalf))
    return { rows, warnings }
  },
}

function printAlone(result: SuiteResult): void {
  const columns = layoutSuite.columns
  const header = ['scenario', 'metric', ...columns]
  const lines = result.rows.map((r) => [r.scenario, `${r.metric} (${r.unit})`, ...columns.map((c) => String(r.values[c] ?? '-'))])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)))
  for (const line of [header, ...lines]) console.log(line.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '))
  for (const w of result.warnings) console.log(`warning: ${w.candidate}: ${w.scenario}: ${w.message}`)
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await layoutSuite.run({
    quick: process.env.BENCH_QUICK === '1',
    candidates: process.env.BENCH_CANDIDATES?.split(','),
    scenario: process.env.BENCH_SCENARIO,
    tmpDir: '',
    log: (m) => {
      process.stderr.write(`${m}\n`)
    },
  })
  printAlone(result)
}
