/**
 * Plain text from tldraw rich text (TipTap JSON) without an editor: tldraw's own
 * `renderPlaintextFromRichText` needs one, and the server has none.
 */

/** Blocks that hold other blocks or text; an empty one still takes a line. */
const BLOCK_TYPES = new Set([
  'doc',
  'paragraph',
  'heading',
  'codeBlock',
  'blockquote',
  'bulletList',
  'orderedList',
  'listItem',
  'taskList',
  'taskItem',
])

/** Blocks that are a line of their own even when empty (an empty paragraph is a blank line). */
const LINE_TYPES = new Set(['paragraph', 'heading', 'codeBlock'])

/** Deeper documents are cut off rather than risk the stack on hostile input. */
const MAX_DEPTH = 64

interface Node {
  type?: unknown
  text?: unknown
  content?: unknown
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function childrenOf(node: Node): Node[] {
  return Array.isArray(node.content) ? node.content.filter(isNode) : []
}

/**
 * Text, hard breaks, and unknown nodes holding only inline content (mentions, custom marks as
 * nodes, images) sit inside a line.
 */
function isInline(node: Node, depth = 0): boolean {
  if (node.type === 'text' || node.type === 'hardBreak') return true
  if (typeof node.type === 'string' && BLOCK_TYPES.has(node.type)) return false
  return depth < MAX_DEPTH && childrenOf(node).every((child) => isInline(child, depth + 1))
}

function hasText(node: Node): boolean {
  return node.type === 'hardBreak' || (node.type === 'text' && typeof node.text === 'string')
}

function inlineText(node: Node, depth: number): string {
  if (node.type === 'text') return typeof node.text === 'string' ? node.text : ''
  if (node.type === 'hardBreak') return '\n'
  if (depth > MAX_DEPTH) return ''
  return childrenOf(node)
    .map((child) => inlineText(child, depth + 1))
    .join('')
}

function collectLines(node: Node, lines: string[], depth: number): void {
  if (depth > MAX_DEPTH) return
  const children = childrenOf(node)
  if (children.length === 0) {
    if (typeof node.type === 'string' && LINE_TYPES.has(node.type)) lines.push('')
    return
  }
  // Consecutive inline children form one line; block children (list items, paragraphs in a
  // blockquote, unknown wrappers) contribute their own lines in document order.
  let run: Node[] = []
  const flush = () => {
    if (run.some(hasText)) lines.push(run.map((child) => inlineText(child, depth + 1)).join(''))
    run = []
  }
  for (const child of children) {
    if (isInline(child)) {
      run.push(child)
    } else {
      flush()
      collectLines(child, lines, depth + 1)
    }
  }
  flush()
}

/**
 * The plain text of a tldraw rich text value: one line per paragraph, heading, code block or
 * list item, joined with `\n`; hard breaks become `\n`; marks (bold, links) are dropped.
 * Unknown node types are walked for their text; anything that is not TipTap JSON gives `''`.
 * Never throws.
 * @example
 * richTextToPlainText(toRichText('Budget freeze\nin Q3')) // 'Budget freeze\nin Q3'
 */
export function richTextToPlainText(richText: unknown): string {
  if (!isNode(richText)) return typeof richText === 'string' ? richText : ''
  if (richText.type === 'text' || richText.type === 'hardBreak') return inlineText(richText, 0)
  const lines: string[] = []
  collectLines(richText, lines, 0)
  return lines.join('\n')
}
