import { useEditor, useValue } from 'tldraw'
import { isTypedText, lostOfflineEdits, plainTextOf, type LostOfflineEdit } from './offlineEdits.ts'
import { isFieldTextKept } from './SharedTextField.tsx'
import { RICH_TEXT_FIELD, keptShapeTexts } from './textShapeLocks.ts'
import { copyText } from '../copyText.ts'

function textOf(edit: LostOfflineEdit): string {
  return plainTextOf(edit.mine, edit.prop)
}

/** "text" for what a person types, "value" for a date, a choice or a number. */
function noun(edit: LostOfflineEdit): string {
  return isTypedText(edit.prop) ? 'text' : 'value'
}

/**
 * "Your offline change to Notes on 'Ana Silva' was replaced by Tom's newer edit", for each edit
 * this page made offline that lost (client/board/offlineEdits.ts), or "… was lost: it is no longer
 * on the board" when the card went meanwhile, with the text that lost to read or copy; "Your offline delete of 'X' was
 * undone" when someone changed what this person deleted offline. Non-blocking: the board stays usable; Dismiss removes it.
 */
export function LostOfflineEdits() {
  const editor = useEditor()
  const $lost = lostOfflineEdits(editor.store)
  // A text the one-typist rule already kept aside on screen (with "Add my text") is not told twice.
  const lost = useValue(
    'lost offline edits',
    () =>
      $lost.get().filter((edit) =>
        edit.prop === RICH_TEXT_FIELD
          ? !keptShapeTexts(editor.store).get().some((kept) => kept.shapeId === edit.shapeId)
          : !isFieldTextKept(editor.store, edit.shapeId, edit.prop),
      ),
    [$lost, editor],
  )
  if (lost.length === 0) return null
  return (
    <div className="offline-lost">
      {lost.map((edit) =>
        edit.undone ? (
          <div key={edit.key} className="field-kept" role="alert">
            <p>{`Your offline delete of ‘${edit.on}’ was undone: ${edit.by ?? 'someone'} ${edit.field === 'line' ? 'drew a line to it' : 'changed it'} while you were offline. Delete it again if it should go.`}</p>
            <button type="button" className="button" onClick={() => $lost.set($lost.get().filter((entry) => entry.key !== edit.key))}>
              Dismiss
            </button>
          </div>
        ) : (
          <div key={edit.key} className="field-kept" role="alert">
            <p>
              {edit.madeVisible
                ? `Your offline change to ${edit.field} on ‘${edit.on}’ was not kept: you wrote it as internal, and the facilitator made ${edit.field} customer-visible while you were offline, so it was not shown to the customer. Your ${noun(edit)}:`
                : edit.gone
                ? `Your offline change to ${edit.field} on ‘${edit.on}’ was lost: it is no longer on the board. Your ${noun(edit)}:`
                : `Your offline change to ${edit.field} on ‘${edit.on}’ was replaced by ${edit.by ? `${edit.by}’s` : 'a'} newer edit. Your ${noun(edit)}:`}
            </p>
            <blockquote>{textOf(edit)}</blockquote>
            <button type="button" className="button" onClick={() => void copyText(textOf(edit))}>
              Copy my {noun(edit)}
            </button>{' '}
            <button type="button" className="button" onClick={() => $lost.set($lost.get().filter((entry) => entry.key !== edit.key))}>
              Dismiss
            </button>
          </div>
        ),
      )}
    </div>
  )
}
