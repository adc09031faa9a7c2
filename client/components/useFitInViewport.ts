import { useLayoutEffect, useRef } from 'react'

/** How far from the window's edges a popover keeps. */
const MARGIN = 8

/**
 * A ref for a popover anchored to a header button: whenever it lays out (opened, grown, the
 * window resized), it is shifted sideways just enough to stay inside the window. Anchored by CSS
 * to its button's right edge, a wide panel opened from a button near the left of a tablet's
 * header started off screen (QA q27b: the Share panel at x = −116 on an 820 px iPad).
 */
export function useFitInViewport<T extends HTMLElement>() {
  const ref = useRef<T>(null)
  useLayoutEffect(() => {
    const element = ref.current
    if (!element) return
    const fit = () => {
      element.style.translate = ''
      const box = element.getBoundingClientRect()
      const shift = box.left < MARGIN ? MARGIN - box.left : box.right > window.innerWidth - MARGIN ? Math.max(MARGIN - box.left, window.innerWidth - MARGIN - box.right) : 0
      if (shift !== 0) element.style.translate = `${Math.round(shift)}px 0`
      // The room below it, for a CSS max-height: a header wrapped on two lines (a tablet) puts it
      // lower than the stylesheet assumes (QA q29c: the Share panel ran 19 px out of a 1024 px window).
      element.style.setProperty('--kp-room-below', `${Math.max(120, Math.floor(window.innerHeight - box.top - MARGIN))}px`)
    }
    fit()
    const observer = new ResizeObserver(fit)
    observer.observe(element)
    window.addEventListener('resize', fit)
    return () => {
      observer.disconnect()
      window.removeEventListener('resize', fit)
    }
  })
  return ref
}
