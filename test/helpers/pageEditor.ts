import type { Page } from 'playwright-core'
import type { Editor } from 'tldraw'

declare global {
  interface Window {
    /** Set by {@link exposeEditor}, in tests and the bench only. */
    testEditor: Editor
  }
}

/**
 * Makes the tldraw editor of `page` reachable from `page.evaluate` as `window.testEditor`, without
 * a hook in the product: it walks React's fibers up from a rendered shape to tldraw's
 * `EditorProvider` (the component with an `editor` prop). Test-only; call it after
 * `waitForBoard`, and again after a reload.
 * @example
 * await exposeEditor(page)
 * const count = await page.evaluate(() => window.testEditor.getCurrentPageShapeIds().size)
 */
export async function exposeEditor(page: Page, timeout = 20_000): Promise<void> {
  // Polled: the canvas can be in the DOM a moment before React has committed tldraw's provider.
  await page.waitForFunction(
    () => {
      const element = document.querySelector('.tl-canvas')
      const fiberKey = element ? Object.keys(element).find((key) => key.startsWith('__reactFiber$')) : undefined
      if (!element || !fiberKey) return false
      type Fiber = { memoizedProps?: { editor?: { store?: unknown } } | null; return: Fiber | null }
      // React keeps the fiber on the DOM node under a per-build key; read as an untyped property.
      for (let fiber = (element as unknown as Record<string, Fiber>)[fiberKey] ?? null; fiber; fiber = fiber.return) {
        const editor = fiber.memoizedProps?.editor
        if (editor?.store) {
          ;(window as unknown as { testEditor: unknown }).testEditor = editor // test-only global
          return true
        }
      }
      return false
    },
    undefined,
    { timeout },
  )
}
