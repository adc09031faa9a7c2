import { describe, expect, test } from 'vitest'
import { extractPlan } from '../../shared/extractPlan.ts'
import { PlanDraftSchema, type Swot } from '../../shared/plan.ts'
import { SWOT_FRAMES, templateRecords } from '../../shared/templates.ts'
import { boardStore, frame, geo, note, planInput, swotFrames, text } from '../helpers/planBoards.ts'
import type { TLRecord, TLShape } from '@tldraw/tlschema'

// Quadrants of swotFrames(): strengths x 0–1000 y 0–800, weaknesses x 1000–2000 y 0–800,
// opportunities x 0–1000 y 800–1600, threats x 1000–2000 y 800–1600. A note is 200 × 200, so a
// note at (x, y) has its centre at (x + 100, y + 100).

function swotOf(records: TLRecord[]): { swot: Swot; warnings: { message: string; shapeId?: string }[] } {
  const store = boardStore(records)
  const plan = extractPlan(planInput({ swot: store.allRecords() }))
  PlanDraftSchema.parse(plan)
  return { swot: plan.swot, warnings: plan.warnings }
}

function ids(swot: Swot) {
  return {
    strengths: swot.strengths.map((i) => i.id),
    weaknesses: swot.weaknesses.map((i) => i.id),
    opportunities: swot.opportunities.map((i) => i.id),
    threats: swot.threats.map((i) => i.id),
    unsorted: swot.unsorted.map((i) => i.id),
  }
}

describe('[P5] a note belongs to the quadrant frame it is in, else to the one that contains its centre', () => {
  test('one note in each quadrant, with its text', () => {
    const { swot, warnings } = swotOf([
      ...swotFrames(),
      note('shape:s', { x: 100, y: 100 }, 'Strong brand'),
      note('shape:w', { x: 1100, y: 100 }, 'Slow delivery'),
      note('shape:o', { x: 100, y: 900 }, 'New plant in Lyon'),
      note('shape:t', { x: 1100, y: 900 }, 'Competitor discount'),
    ])
    expect(swot.strengths).toEqual([{ id: 'shape:s', text: 'Strong brand' }])
    expect(swot.weaknesses).toEqual([{ id: 'shape:w', text: 'Slow delivery' }])
    expect(swot.opportunities).toEqual([{ id: 'shape:o', text: 'New plant in Lyon' }])
    expect(swot.threats).toEqual([{ id: 'shape:t', text: 'Competitor discount' }])
    expect(swot.unsorted).toEqual([])
    expect(warnings).toEqual([])
  })

  test('a note overlapping two quadrants goes where its centre is', () => {
    // a spans x 850–1050 (centre 950), b spans x 910–1110 (centre 1010); both straddle x 1000.
    const { swot } = swotOf([...swotFrames(), note('shape:a', { x: 850, y: 100 }, 'a'), note('shape:b', { x: 910, y: 100 }, 'b')])
    expect(ids(swot).strengths).toEqual(['shape:a'])
    expect(ids(swot).weaknesses).toEqual(['shape:b'])
  })

  test('[P6] border rule: left and top edges are inside a frame, right and bottom edges are not', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:on-vertical-middle', { x: 900, y: 100 }, 'centre x = 1000'),
      note('shape:on-horizontal-middle', { x: 100, y: 700 }, 'centre y = 800'),
      note('shape:on-centre-corner', { x: 900, y: 700 }, 'centre (1000, 800)'),
      note('shape:on-outer-left', { x: -100, y: 300 }, 'centre x = 0'),
      note('shape:on-outer-top', { x: 1300, y: -100 }, 'centre y = 0'),
      note('shape:on-outer-right', { x: 1900, y: 300 }, 'centre x = 2000'),
      note('shape:on-outer-bottom', { x: 300, y: 1500 }, 'centre y = 1600'),
    ])
    expect(ids(swot)).toEqual({
      strengths: ['shape:on-outer-left'],
      weaknesses: ['shape:on-outer-top', 'shape:on-vertical-middle'],
      opportunities: ['shape:on-horizontal-middle'],
      threats: ['shape:on-centre-corner'],
      unsorted: ['shape:on-outer-right', 'shape:on-outer-bottom'],
    })
  })

  test('[P6] notes outside every quadrant are unsorted', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:far-right', { x: 2500, y: 100 }, 'parking lot'),
      note('shape:above', { x: 500, y: -400 }, 'question for later'),
    ])
    expect(ids(swot).unsorted).toEqual(['shape:above', 'shape:far-right'])
  })

  test('a note inside a frame has coordinates relative to the frame', () => {
    // At (50, 50) in page space this note would be a strength; relative to threats it is a threat.
    const { swot } = swotOf([...swotFrames(), note('shape:child', { x: 50, y: 50, parentId: 'shape:swot-threats' }, 'Price war')])
    expect(ids(swot).threats).toEqual(['shape:child'])
    expect(ids(swot).strengths).toEqual([])
  })

  test('quadrants nested in a container frame are found at their page position', () => {
    const { swot } = swotOf([
      frame('shape:container', { x: 5000, y: 3000 }, 2200, 1800, 'SWOT'),
      ...swotFrames().map((f) => ({ ...f, parentId: 'shape:container' }) as typeof f),
      note('shape:n', { x: 6150, y: 3950 }, 'page (6250, 4050) = container (1250, 1050)'),
    ])
    expect(ids(swot).threats).toEqual(['shape:n'])
  })

  test('rotation is applied: a note rotated a quarter turn about its corner', () => {
    // Rotated by π/2 about (1050, 100): its centre moves from (1150, 200) to (950, 200).
    const { swot } = swotOf([...swotFrames(), note('shape:r', { x: 1050, y: 100, rotation: Math.PI / 2 }, 'rotated')])
    expect(ids(swot).strengths).toEqual(['shape:r'])
  })

  test('a note that grew with its text has its centre lower', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:short', { x: 100, y: 650 }, 'centre y 750'),
      note('shape:tall', { x: 400, y: 650 }, 'centre y 850', { growY: 200 }),
    ])
    expect(ids(swot).strengths).toEqual(['shape:short'])
    expect(ids(swot).opportunities).toEqual(['shape:tall'])
  })

  test('a note inside a quadrant frame stays in it when it grows past the frame edge, as the canvas clips it there', () => {
    // Strengths spans y 0–800: this child at y 650 grown by 300 has its centre at y 900, below it;
    // the threats child at y 700 grown by 1,000 has its centre below every frame.
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:grown', { x: 100, y: 650, parentId: 'shape:swot-strengths' }, 'A long strength', { growY: 300 }),
      note('shape:long-threat', { x: 100, y: 700, parentId: 'shape:swot-threats' }, 'A very long threat', { growY: 1000 }),
    ])
    expect(ids(swot)).toEqual({ strengths: ['shape:grown'], weaknesses: [], opportunities: [], threats: ['shape:long-threat'], unsorted: [] })
  })

  test('a note that runs past its quadrant frame is named in a warning: the board hides part of its text', () => {
    const { warnings } = swotOf([
      ...swotFrames(),
      note('shape:grown', { x: 100, y: 650, parentId: 'shape:swot-strengths' }, 'A long strength', { growY: 300 }),
      note('shape:corner', { x: 800, y: 600, parentId: 'shape:swot-weaknesses' }, 'Fits its corner exactly'),
      note('shape:fits', { x: 100, y: 100, parentId: 'shape:swot-opportunities' }, 'Fits'),
      note('shape:page', { x: 300, y: 650 }, 'On the page, over the edge', { growY: 300 }),
    ])
    expect(warnings).toEqual([{ board: 'swot', shapeId: 'shape:grown', label: 'A long strength', message: "Runs past the Strengths frame's edge: part of its text is hidden on the board" }])
  })

  test('a note cut at the text limit is cut between characters, never inside an emoji, and its warning names it (QA q29b)', () => {
    const long = `${'x'.repeat(9_999)}😀 tail`
    const { swot, warnings } = swotOf([...swotFrames(), note('shape:long', { x: 100, y: 100, parentId: 'shape:swot-strengths' }, long)])
    const text = swot.strengths[0]?.text ?? ''
    expect(text).toBe('x'.repeat(9_999))
    expect(encodeURIComponent(text)).toBe(text) // throws on a lone surrogate
    expect(warnings).toContainEqual({ board: 'swot', shapeId: 'shape:long', label: `${'x'.repeat(59)}…`, message: 'Text cut to 10000 characters' })
  })

  test('a note in a frame or group inside a quadrant frame belongs to that quadrant', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      { ...frame('shape:cluster', { x: 600, y: 500 }, 300, 250, 'Pricing'), parentId: 'shape:swot-weaknesses' } as TLShape,
      note('shape:in-cluster', { x: 150, y: 100, parentId: 'shape:cluster' }, 'No volume discount', { growY: 400 }),
    ])
    expect(ids(swot).weaknesses).toEqual(['shape:in-cluster'])
  })

  test('a note on the page, not in any quadrant frame, still goes by its centre', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      frame('shape:parking', { x: 2200, y: 0 }, 400, 400, 'Parking lot'),
      note('shape:page-note', { x: 300, y: 650 }, 'over the edge', { growY: 300 }),
      note('shape:parked', { x: 50, y: 50, parentId: 'shape:parking' }, 'later'),
    ])
    expect(ids(swot).opportunities).toEqual(['shape:page-note'])
    expect(ids(swot).unsorted).toEqual(['shape:parked'])
  })

  test('[P3] text shapes and labelled geo shapes count; empty notes and unlabelled shapes do not', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      text('shape:text', { x: 100, y: 100 }, 300, 'Loyal users'),
      geo('shape:geo', { x: 1100, y: 100 }, 300, 100, 'Legacy ERP'),
      geo('shape:box', { x: 1100, y: 300 }, 300, 100, ''),
      note('shape:empty', { x: 100, y: 900 }, '  '),
    ])
    expect(ids(swot)).toEqual({ strengths: ['shape:text'], weaknesses: ['shape:geo'], opportunities: [], threats: [], unsorted: [] })
  })

  test('[P3] the author comes from meta.createdBy or meta.author when it is a string', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:a', { x: 100, y: 100, meta: { createdBy: 'Ada' } }, 'a'),
      note('shape:b', { x: 400, y: 100, meta: { author: 'Grace' } }, 'b'),
      note('shape:c', { x: 700, y: 100, meta: { createdBy: 42 } }, 'c'),
    ])
    expect(swot.strengths).toEqual([
      { id: 'shape:a', text: 'a', author: 'Ada' },
      { id: 'shape:b', text: 'b', author: 'Grace' },
      { id: 'shape:c', text: 'c' },
    ])
  })
})

describe('[P4] quadrant frames are found by the template ids, else by name', () => {
  test('frames named after the quadrants, with any ids, are quadrants', () => {
    const { swot } = swotOf([
      frame('shape:f1', { x: 0, y: 0 }, 500, 500, 'strengths'),
      frame('shape:f2', { x: 600, y: 0 }, 500, 500, ' Threats '),
      note('shape:a', { x: 100, y: 100 }, 'a'),
      note('shape:b', { x: 700, y: 100 }, 'b'),
    ])
    expect(ids(swot).strengths).toEqual(['shape:a'])
    expect(ids(swot).threats).toEqual(['shape:b'])
  })

  test('a frame with a template id counts whatever it was renamed to, and wins over a name', () => {
    const frames = swotFrames().map((f) => (f.id === 'shape:swot-strengths' ? ({ ...f, props: { ...f.props, name: 'Our strengths (internal)' } } as typeof f) : f))
    const { swot } = swotOf([
      ...frames,
      frame('shape:impostor', { x: 3000, y: 0 }, 500, 500, 'Strengths'),
      note('shape:in-template', { x: 100, y: 100 }, 'a'),
      note('shape:in-impostor', { x: 3100, y: 100 }, 'b'),
    ])
    expect(ids(swot).strengths).toEqual(['shape:in-template'])
    expect(ids(swot).unsorted).toEqual(['shape:in-impostor'])
  })

  test('a missing quadrant is a warning and its notes are unsorted', () => {
    const { swot, warnings } = swotOf([
      ...swotFrames().filter((f) => f.id !== 'shape:swot-threats'),
      note('shape:t', { x: 1100, y: 900 }, 'would be a threat'),
    ])
    expect(ids(swot).unsorted).toEqual(['shape:t'])
    expect(warnings.map((w) => w.message)).toEqual(['No Threats frame on the board; its notes are listed as unsorted'])
  })
})

describe('[P7] items are in reading order', () => {
  test('top to bottom, and left to right within a row', () => {
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:row2-left', { x: 100, y: 400 }, 'c'),
      note('shape:row1-right', { x: 700, y: 90 }, 'b'),
      note('shape:row1-left', { x: 100, y: 150 }, 'a (a little lower, same row)'),
      note('shape:row2-right', { x: 500, y: 400 }, 'd'),
    ])
    expect(ids(swot).strengths).toEqual(['shape:row1-left', 'shape:row1-right', 'shape:row2-left', 'shape:row2-right'])
  })

  test('row tolerance: a centre up to half the first note height lower is the same row', () => {
    // The row starts at the topmost note (centre y 200, height 200): centres up to y 300 are on it.
    const { swot } = swotOf([
      ...swotFrames(),
      note('shape:first', { x: 500, y: 100 }, 'centre y 200'),
      note('shape:same-row', { x: 100, y: 200 }, 'centre y 300'),
      note('shape:next-row', { x: 50, y: 201 }, 'centre y 301'),
    ])
    expect(ids(swot).strengths).toEqual(['shape:same-row', 'shape:first', 'shape:next-row'])
  })
})

describe('[P4][P5] with the real SWOT template', () => {
  test('notes in each template quadrant, and in the gap between quadrants', () => {
    // The template's records go through a real store like any client's; the seeded board has
    // the document and page already, so only the frames are added to our test store.
    const frames = templateRecords('swot').filter((r) => r.typeName === 'shape') as unknown as TLRecord[] // template records are valid shape JSON
    const at = (quadrant: keyof typeof SWOT_FRAMES) => SWOT_FRAMES[quadrant].bounds
    const { swot, warnings } = swotOf([
      ...frames,
      note('shape:s', { x: at('strengths').x + 10, y: at('strengths').y + 10 }, 's'),
      note('shape:w', { x: at('weaknesses').x + 10, y: at('weaknesses').y + 10 }, 'w'),
      note('shape:o', { x: 20, y: 30, parentId: SWOT_FRAMES.opportunities.id }, 'o (child of the frame)'),
      note('shape:t', { x: at('threats').x + 10, y: at('threats').y + 10 }, 't'),
      // Centre in the gap between strengths and weaknesses: in no quadrant.
      note('shape:gap', { x: at('strengths').x + at('strengths').w - 80, y: 100 }, 'gap'),
    ])
    expect(ids(swot)).toEqual({
      strengths: ['shape:s'],
      weaknesses: ['shape:w'],
      opportunities: ['shape:o'],
      threats: ['shape:t'],
      unsorted: ['shape:gap'],
    })
    expect(warnings).toEqual([])
  })
})
