import { getHTMLFromFragment, getSchema, getText, getTextSerializersFromSchema, type Extensions, type JSONContent, type TextSerializer } from '@tiptap/core'
import { Node, type Schema } from '@tiptap/pm/model'

/**
 * `@tiptap/core` as tldraw's rich-text helpers see it (`tldraw/src/lib/utils/text/richText.ts`,
 * redirected here by the `cachedTipTapSchema` plugin in `vite.config.ts`): the same module, except
 * that `generateHTML` and `generateText` build the ProseMirror schema once per extension list
 * instead of on every call. tldraw renders each new note or shape label with them (HTML to
 * measure and draw it, plain text for its label), and a schema costs ~0.3 ms: a remote batch of
 * 1,000 labelled shapes spent ~300 ms rebuilding the same schema. tldraw passes the same
 * extension array every time (its defaults, or the editor's `textOptions`), so caching by the
 * array's identity is exact. The report filed upstream: `docs/upstream-reports.md`.
 */
export * from '@tiptap/core'

const schemas = new WeakMap<Extensions, Schema>()

function schemaOf(extensions: Extensions): Schema {
  let schema = schemas.get(extensions)
  if (!schema) schemas.set(extensions, (schema = getSchema(extensions)))
  return schema
}

/** `@tiptap/core`'s `generateHTML`, with the schema built once per extension list. */
export function generateHTML(doc: JSONContent, extensions: Extensions): string {
  const schema = schemaOf(extensions)
  return getHTMLFromFragment(Node.fromJSON(schema, doc).content, schema)
}

/** `@tiptap/core`'s `generateText`, with the schema built once per extension list. */
export function generateText(
  doc: JSONContent,
  extensions: Extensions,
  options: { blockSeparator?: string; textSerializers?: Record<string, TextSerializer> } = {},
): string {
  const schema = schemaOf(extensions)
  return getText(Node.fromJSON(schema, doc), {
    blockSeparator: options.blockSeparator ?? '\n\n',
    textSerializers: { ...getTextSerializersFromSchema(schema), ...options.textSerializers },
  })
}
