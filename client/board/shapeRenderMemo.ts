import type { TLShape } from 'tldraw'

/** The props tldraw's canvas gives its `Shape` component (`@tldraw/editor`, `components/Shape.tsx`). */
interface ShapeComponentProps {
  id: string
  shape: TLShape | undefined
  util: unknown
  index: number
  backgroundIndex: number
  opacity: number
}

/**
 * Whether tldraw's `Shape` component may skip a re-render: true when nothing it renders from
 * changed. Installed in place of plain `memo` by the `shapeRendersOnContent` plugin in
 * `vite.config.ts` (issue 14, docs/upstream-reports.md).
 *
 * tldraw positions a shape (transform, size, clip path) from a reactor, not from React, and its
 * inner shape re-renders only when `props` or `meta` change; what the component renders itself
 * from the record is its wrapper (type, id, whether `props.fill` is set). Yet the canvas hands it
 * a new `shape` object on every change, so a move of 1,000 shapes re-rendered 1,000 wrappers and
 * error boundaries for nothing. Here the record counts as unchanged while its type, `props` and
 * `meta` are the same objects, which is exactly what the inner shape's own memo compares.
 */
export function shapeRenderUnchanged(prev: ShapeComponentProps, next: ShapeComponentProps): boolean {
  if (prev.id !== next.id || prev.util !== next.util || prev.index !== next.index || prev.backgroundIndex !== next.backgroundIndex || prev.opacity !== next.opacity) return false
  const a = prev.shape
  const b = next.shape
  if (a === b) return true
  return a !== undefined && b !== undefined && a.type === b.type && a.props === b.props && a.meta === b.meta
}
