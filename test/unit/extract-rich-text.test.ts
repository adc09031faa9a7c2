import { describe, expect, test } from 'vitest'
import { toRichText } from '@tldraw/tlschema'
import { richTextToPlainText } from '../../shared/richText.ts'
import { extractPlan } from '../../shared/extractPlan.ts'
import { boardStore, note, planInput, swotFrames } from '../helpers/planBoards.ts'

const text = (value: string) => ({ type: 'text', text: value })
const paragraph = (...content: object[]) => ({ type: 'paragraph', content })

describe('[P3] plain text from tldraw rich text', () => {
  test("tldraw's toRichText round-trips, blank lines included", () => {
    for (const value of ['', 'one line', 'Budget freeze\nin Q3', 'a\n\nb', 'ünïcødé ✓ 漢字']) {
      expect(richTextToPlainText(toRichText(value))).toBe(value)
    }
  })

  test('marks are dropped and text nodes of a paragraph are joined', () => {
    const doc = {
      type: 'doc',
      content: [paragraph(text('Key '), { type: 'text', text: 'risk', marks: [{ type: 'bold' }] }, text(': churn'))],
    }
    expect(richTextToPlainText(doc)).toBe('Key risk: churn')
  })

  test('headings, lists, nested lists, blockquotes and code blocks give one line each', () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'heading', attrs: { level: 2 }, content: [text('Risks')] },
        {
          type: 'bulletList',
          content: [
            { type: 'listItem', content: [paragraph(text('price'))] },
            {
              type: 'listItem',
              content: [
                paragraph(text('people')),
                { type: 'orderedList', content: [{ type: 'listItem', content: [paragraph(text('CIO leaving'))] }] },
              ],
            },
          ],
        },
        { type: 'blockquote', content: [paragraph(text('quote'))] },
        { type: 'codeBlock', content: [text('x = 1')] },
      ],
    }
    expect(richTextToPlainText(doc)).toBe('Risks\nprice\npeople\nCIO leaving\nquote\nx = 1')
  })

  test('a hard break is a newline', () => {
    expect(richTextToPlainText({ type: 'doc', content: [paragraph(text('a'), { type: 'hardBreak' }, text('b'))] })).toBe('a\nb')
  })

  test('unknown node types are walked for their text; unknown leaves are skipped', () => {
    const doc = {
      type: 'doc',
      content: [
        { type: 'callout', content: [paragraph(text('inside a callout'))] },
        paragraph(text('see '), { type: 'mention', attrs: { id: 'u1' } }, { type: 'fancyInline', content: [text('this')] }),
        { type: 'horizontalRule' },
        paragraph(text('end')),
      ],
    }
    expect(richTextToPlainText(doc)).toBe('inside a callout\nsee this\nend')
  })

  test('malformed input never throws and gives what text it can', () => {
    const deep: { type: string; content: object[] } = { type: 'doc', content: [] }
    let cursor = deep
    for (let i = 0; i < 10_000; i++) {
      const next = { type: 'blockquote', content: [] }
      cursor.content.push(next)
      cursor = next
    }
    const cases: [unknown, string][] = [
      [null, ''],
      [undefined, ''],
      [42, ''],
      ['plain string', 'plain string'],
      [[paragraph(text('array at top'))], ''],
      [{ type: 'doc' }, ''],
      [{ type: 'doc', content: 'not an array' }, ''],
      [{ type: 'doc', content: [null, 7, 'x', paragraph(text('kept'))] }, 'kept'],
      [{ type: 'doc', content: [paragraph({ type: 'text', text: 42 }, text('ok'))] }, 'ok'],
      [{ content: [paragraph(text('no type'))] }, 'no type'],
      [deep, ''],
    ]
    for (const [input, expected] of cases) expect(richTextToPlainText(input)).toBe(expected)
  })
})

test('extraction trims the text of a note and keeps its inner lines', () => {
  const store = boardStore([...swotFrames(), note('shape:n', { x: 100, y: 100 }, '\n  Strong brand\n\nin DACH  \n')])
  const plan = extractPlan(planInput({ swot: store.allRecords() }))
  expect(plan.swot.strengths).toEqual([{ id: 'shape:n', text: 'Strong brand\n\nin DACH' }])
})
