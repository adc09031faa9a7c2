import { useCallback, useEffect, useRef, useState } from 'react'
import type { Editor } from 'tldraw'

/**
 * Present mode of the facilitator's page: the page goes full screen (where the browser allows it),
 * the page chrome and tldraw's own controls hide (the caller renders `presenting`), the board is
 * fitted to the screen, and `onStart` runs (the caller brings everyone to follow the presenter).
 * Esc leaves it, as do the stop button, leaving the browser's full screen and leaving the board;
 * then `onEnd` runs (the caller releases everyone, [C12]).
 */
export function usePresentMode(
  editor: Editor | null,
  onStart: () => void,
  onEnd: () => void,
): { presenting: boolean; start(): void; stop(): void } {
  const [presenting, setPresenting] = useState(false)
  const enteredFullscreen = useRef(false)
  const end = useRef(onEnd)
  end.current = onEnd

  // However presenting ends (stop, or the board's screen unmounting while presenting): once.
  useEffect(() => {
    if (!presenting) return
    return () => end.current()
  }, [presenting])

  const stop = useCallback(() => {
    setPresenting(false)
    if (enteredFullscreen.current && document.fullscreenElement) void document.exitFullscreen().catch(() => undefined)
    enteredFullscreen.current = false
  }, [])

  const start = useCallback(() => {
    setPresenting(true)
    onStart()
    // Full screen needs this click's user activation and may be refused (an iframe, a kiosk): present mode works without it.
    document.documentElement
      .requestFullscreen?.()
      .then(() => {
        enteredFullscreen.current = true
      })
      .catch(() => undefined)
  }, [onStart])

  useEffect(() => {
    if (!presenting) return
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return
      // Esc in a note being typed or a field leaves the text, as everywhere, not the presentation
      // for the whole room (QA q28a); the next Esc, on the board, ends it.
      if (event.target instanceof HTMLElement && (event.target.isContentEditable || event.target.closest('input, textarea, select') !== null)) return
      // Before tldraw's own Escape handling (which would only deselect).
      event.preventDefault()
      event.stopPropagation()
      stop()
    }
    const onFullscreen = () => {
      if (!document.fullscreenElement && enteredFullscreen.current) stop()
    }
    window.addEventListener('keydown', onKey, { capture: true })
    document.addEventListener('fullscreenchange', onFullscreen)
    return () => {
      window.removeEventListener('keydown', onKey, { capture: true })
      document.removeEventListener('fullscreenchange', onFullscreen)
    }
  }, [presenting, stop])

  // Fit the board once the canvas has its full-screen size (the chrome around it just left).
  useEffect(() => {
    if (!editor || !presenting) return
    let frame = requestAnimationFrame(() => {
      frame = requestAnimationFrame(() => {
        editor.updateViewportScreenBounds(editor.getContainer())
        editor.zoomToFit({ animation: { duration: 200 } })
      })
    })
    return () => cancelAnimationFrame(frame)
  }, [editor, presenting])

  return { presenting, start, stop }
}
