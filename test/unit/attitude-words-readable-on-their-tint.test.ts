/**
 * QA pass q29c: the attitude badge's words were drawn in the card's accent colour, 3.1:1 to 4.5:1
 * on its tint for supporter, skeptic and neutral (WCAG AA asks 4.5:1 for text this small). Each
 * attitude now has a text colour of its own, and the placeholders read at least 4.5:1 on white.
 */
import fs from 'node:fs'
import { expect, test } from 'vitest'
import { ATTITUDE_COLORS } from '../../client/board/shapes/StakeholderCardShapeUtil.tsx'

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}
const contrast = (a: string, b: string) => {
  const [x, y] = [luminance(a), luminance(b)]
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05)
}

test.each(Object.entries(ATTITUDE_COLORS))('%s: the badge words read at least 4.5:1 on the tint', (_attitude, colors) => {
  expect(contrast(colors.text, colors.tint)).toBeGreaterThanOrEqual(4.5)
})

test('placeholders ("Unnamed competitor") read at least 4.5:1 on white', () => {
  for (const [file, selector] of [['client/styles.css', '.kp-placeholder'], ['client/review/review.css', '.placeholder']] as const) {
    const css = fs.readFileSync(file, 'utf8')
    const rule = css.slice(css.indexOf(`${selector} {`))
    const color = /color:\s*(#[0-9a-f]{6})/i.exec(rule)?.[1]
    expect(color, selector).toBeDefined()
    expect(contrast(color as string, '#ffffff'), selector).toBeGreaterThanOrEqual(4.5)
  }
})
