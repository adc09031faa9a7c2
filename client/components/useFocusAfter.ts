import { useCallback, useEffect, useRef, type RefObject } from 'react'

/**
 * For a control that goes away when pressed (Save, Stop timer, Close vote): the returned function,
 * called when it is pressed, moves the focus to `target` at the first render where `settled` holds
 * (the form closed, the timer stopped, the vote arrived), so the focus goes on to what comes next
 * rather than to the page body.
 * @example
 * const focusRename = useFocusAfter(renameButton, !renaming)
 * <RenameForm onDone={() => { focusRename(); setRenaming(false) }} />
 */
export function useFocusAfter(target: RefObject<HTMLElement | null>, settled: boolean): () => void {
  const asked = useRef(false)
  useEffect(() => {
    if (!asked.current || !settled || !target.current) return
    asked.current = false
    target.current.focus()
  })
  return useCallback(() => {
    asked.current = true
  }, [])
}
