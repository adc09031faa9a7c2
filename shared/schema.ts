import { createTLSchema, defaultBindingSchemas, defaultShapeSchemas, type TLSchema } from '@tldraw/tlschema'
import {
  actionCardMigrations,
  actionCardProps,
  competitorCardMigrations,
  competitorCardProps,
  objectiveCardMigrations,
  objectiveCardProps,
  stakeholderCardMigrations,
  stakeholderCardProps,
  whitespaceCardMigrations,
  whitespaceCardProps,
} from './shapes.ts'

/**
 * The tldraw schema of every Keyplan board: tldraw's default shapes and bindings plus the
 * stakeholder, action, objective, whitespace cell and competitor cards. Built from tldraw's MIT-licensed packages only, so the server
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
      objective: { props: objectiveCardProps, migrations: objectiveCardMigrations },
      whitespace: { props: whitespaceCardProps, migrations: whitespaceCardMigrations },
      competitor: { props: competitorCardProps, migrations: competitorCardMigrations },
    },
    bindings: defaultBindingSchemas,
  })
}

let shared: TLSchema | undefined

/**
 * One {@link createKeyplanSchema} for the modules of a process that only read it (validate,
 * migrate, list record types): each built schema keeps ~90 KB of heap, and the server's record
 * pass, snapshots, restore, revert and plan extraction each built their own at boot (issue 14).
 * Nothing may change the schema it returns.
 */
export function sharedKeyplanSchema(): TLSchema {
  return (shared ??= createKeyplanSchema())
}
