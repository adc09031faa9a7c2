import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import {
  actionCardMigrations,
  actionCardProps,
  stakeholderCardMigrations,
  stakeholderCardProps,
} from './shapes.ts'

/**
 * The tldraw schema of every Keyplan board: tldraw's default shapes and bindings plus the
 * stakeholder and action cards. Built from tldraw's MIT-licensed packages only, so the server
 * can validate and migrate records without the editor.
 * @example
 * const schema = createKeyplanSchema()
 * const result = schema.migratePersistedRecord(record, storedSchema)
 */
export function createKeyplanSchema(): TLSchema {
  return createTLSchema({
    shapes: {
      ...defaultShapeSchemas,
      stakeholder: { props: stakeholderCardProps, migrations: stakeholderCardMigrations },
      action: { props: actionCardProps, migrations: actionCardMigrations },
    },
    bindings: defaultBindingSchemas,
  })
}
