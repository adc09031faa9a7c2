/**
 * What a page says when the server refused one of its changes (4422, docs/server-rules.md [S26]):
 * the server's reason is written for logs and names records by id (`shape:y3h6…`), so the common
 * cases a person meets in a workshop are said in plain words, and ids never reach the notice.
 *
 * @example refusalNotice('shape:y3h6 holds internal field department') // 'The facilitator made “department” internal as you changed it: …'
 */

/** Record ids as the server's reasons name them. */
const RECORD_ID = /\b(?:shape|binding|page|asset|instance):[\w-]+/g

/** `buyingRole` → `buying role`. */
function fieldWords(field: string): string {
  return field.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()
}

export function refusalNotice(reason: string): string {
  const field = /holds internal field (\w+)/.exec(reason)?.[1]
  if (field !== undefined || reason.includes('holds what is internal now')) {
    const what = field === undefined ? 'a field you changed' : `“${fieldWords(field)}”`
    return `The facilitator made ${what} internal as you changed it: your last change there was not kept. The board was reloaded from the server.`
  }
  if (/is an internal item|is internal: it belongs/.test(reason)) {
    return 'The team marked an item internal as you changed it: your change to it was not kept. The board was reloaded from the server.'
  }
  const plain = reason.replace(RECORD_ID, 'an item').trim()
  return `A change you made was not allowed${plain ? ` (${plain})` : ''}. The board was reloaded from the server without it.`
}
