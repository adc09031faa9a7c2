/**
 * Copies `text` to the clipboard: the Clipboard API where the page may use it, else the older
 * `document.execCommand('copy')` on a hidden text area, which also works over plain http on a
 * team's network, where `navigator.clipboard` does not exist (QA q35b: the "Copy text" buttons did
 * nothing there).
 * @returns whether the text was copied
 */
export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard) {
    try {
      await navigator.clipboard.writeText(text)
      return true
    } catch {
      // Refused (no permission, the page not focused): the fallback below may still copy.
    }
  }
  const before = document.activeElement
  const area = document.createElement('textarea')
  area.value = text
  area.setAttribute('readonly', '')
  area.style.position = 'fixed'
  area.style.opacity = '0'
  // Beside the focused element: a popover that closes when the focus leaves it stays open.
  ;(before instanceof HTMLElement && before.parentElement ? before.parentElement : document.body).append(area)
  area.select()
  let copied = false
  try {
    copied = document.execCommand('copy')
  } catch {
    copied = false
  }
  area.remove()
  if (before instanceof HTMLElement) before.focus()
  return copied
}
