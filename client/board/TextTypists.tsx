import { useState } from 'react'
import { renderPlaintextFromRichText, useEditor, useValue, type Editor, type TLShapeId } from 'tldraw'
import { useKeptTextBox } from './DeletedWhileTyping.tsx'
import { claimOf } from './fieldLocks.ts'
import { RICH_TEXT_FIELD, keptShapeTexts, textHolder, writeShapeText, type KeptShapeText } from './textShapeLocks.ts'

/**
 * "Alice is typing here…" above each shape whose text a peer is editing (client/board/textShapeLocks.ts),
 * in page space so it moves with the shape; it takes no pointer events.
 */
export function TextTypists() {
  const editor = useEditor()
  const labels = useValue(
    'peers typing into shapes',
    () =>
      editor.store.query
        .records('instance_presence')
        .get()
        .flatMap((presence) => {
          const claim = claimOf(presence)
          if (!claim || claim.field !== RICH_TEXT_FIELD) return []
          const id = claim.shapeId as TLShapeId // looked up below: an unknown id shows nothing
          const holder = textHolder(editor, id)
          const bounds = editor.getShape(id) && editor.getShapePageBounds(id)
          if (!holder || holder.key !== presence.id || !bounds) return []
          return [{ id, name: holder.name, color: holder.color, x: bounds.x, y: bounds.y }]
        }),
    [editor],
  )
  return (
    <>
      {labels.map((label) => (
        <p
          key={label.id}
          className="text-typing"
          role="status"
          data-shape-id={label.id}
          style={{ position: 'absolute', pointerEvents: 'none', transform: `translate(${label.x}px, ${label.y - 30}px)`, borderColor: label.color }}
        >
          {label.name} is typing here…
        </p>
      ))}
    </>
  )
}

/**
 * What this person typed into a shape's text while a peer who started first held it, with "Use my
 * text" (once the peer is done) and Dismiss: nothing typed is lost without the person seeing it.
 */
export function KeptShapeTexts() {
  const editor = useEditor()
  const $kept = keptShapeTexts(editor.store)
  const kept = useValue('kept shape texts', () => $kept.get(), [$kept])
  const held = useValue('kept texts still held', () => kept.map((entry) => textHolder(editor, entry.shapeId) !== null), [editor, kept])
  if (kept.length === 0) return null
  const drop = (shapeId: TLShapeId) => $kept.set($kept.get().filter((entry) => entry.shapeId !== shapeId))
  return (
    <div className="kept-texts">
      {kept.map((entry, i) =>
        entry.gone ? (
          <GoneWhileTyping key={entry.shapeId} editor={editor} entry={entry} gone={entry.gone} onDismiss={() => drop(entry.shapeId)} />
        ) : (
          <div key={entry.shapeId} className="field-kept" role="alert">
            <p>{entry.by} started typing into this text just before you, so your text was not kept there:</p>
            <blockquote>{renderPlaintextFromRichText(editor, entry.richText)}</blockquote>
            <button
              type="button"
              className="button"
              disabled={held[i] === true || !editor.getShape(entry.shapeId)}
              onClick={() => {
                writeShapeText(editor, entry.shapeId, entry.richText)
                drop(entry.shapeId)
              }}
            >
              Use my text
            </button>{' '}
            <button type="button" className="button" onClick={() => drop(entry.shapeId)}>
              Dismiss
            </button>
          </div>
        ),
      )}
    </div>
  )
}

/**
 * A shape that left the page while this person typed in it (a peer deleted it, or made it
 * internal on a guest's page): who took it, and the text as it was, selected in a box that takes
 * the focus at once and keeps the keys typed next (tldraw would take them as shortcuts), with
 * Copy text and Dismiss (Esc).
 */
function GoneWhileTyping({ editor, entry, gone, onDismiss }: { editor: Editor; entry: KeptShapeText; gone: NonNullable<KeptShapeText['gone']>; onDismiss(): void }) {
  const [text] = useState(() => renderPlaintextFromRichText(editor, entry.richText))
  const { copied, copy, notice, box } = useKeptTextBox(text)
  const what = `this ${gone.kind}`
  const said = entry.by === null ? `${what[0]?.toUpperCase()}${what.slice(1)} was ${gone.verb} while you were typing.` : `${entry.by} ${gone.verb} ${what} while you were typing.`
  return (
    <div
      ref={notice}
      className="field-kept"
      role="alert"
      tabIndex={-1}
      onKeyDown={(event) => {
        event.stopPropagation()
        if (event.key === 'Escape') onDismiss()
      }}
    >
      <p>
        {said} {text ? 'Your text is kept here to copy:' : null}
      </p>
      {text && <textarea ref={box} aria-label="Your text" rows={4} readOnly value={text} />}
      {text && (
        <>
          <button type="button" className="button" onClick={() => void copy()}>
            {copied ? 'Copied' : 'Copy text'}
          </button>{' '}
        </>
      )}
      <button type="button" className="button" onClick={onDismiss}>
        Dismiss
      </button>
    </div>
  )
}
