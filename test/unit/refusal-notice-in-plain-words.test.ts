/**
 * The notice a page shows when the server refused its change (4422): the common workshop cases in
 * plain words, and never a record id (a guest typing while the facilitator made the field internal
 * read "shape:y3h6FnYqJeZbCCBm46l6W holds internal field department").
 */
import { describe, expect, test } from 'vitest'
import { refusalNotice, replayNotice } from '../../client/board/refusalNotice.ts'
import { boardFullReason } from '../../shared/protocol.ts'

describe('refusalNotice', () => {
  test('a field made internal as the person typed names the field as the side panel does, not the card', () => {
    const notice = refusalNotice('shape:y3h6FnYqJeZbCCBm46l6W holds internal field stakeholder.buyingRole')
    expect(notice).toBe('The facilitator made “Buying role” internal as you changed it: your last change there was not kept. The board was reloaded from the server.')
    // (QA pass of 2026-12-06: it said “department” and “owner”, lower-case keys, not the panel's labels.)
    expect(refusalNotice('shape:a holds internal field stakeholder.department')).toContain('made “Department” internal')
    expect(refusalNotice('shape:a holds internal field stakeholder.owner')).toContain('made “Relationship owner” internal')
    expect(refusalNotice('shape:a holds internal field action.owner')).toContain('made “Owner” internal')
    // A reason naming only the prop (an older server) still reads as a field.
    expect(refusalNotice('shape:a holds internal field jobTitle')).toContain('made “Job title” internal')
    expect(refusalNotice('shape:abc holds what is internal now')).toContain('made a field you changed internal')
  })

  test('an item marked internal as a guest changed it', () => {
    expect(refusalNotice('shape:abc is an internal item')).toBe('The team marked an item internal as you changed it: your change to it was not kept. The board was reloaded from the server.')
  })

  test('a line of a kind made internal says so, and never that the team marked an item (QA qa-depth guestline)', () => {
    const notice = refusalNotice('shape:abc is a relationship line of internal kind influences: it belongs in the internal document')
    expect(notice).toBe('“Influences” relationship lines are internal in this workshop, so your line was not kept. The board was reloaded from the server.')
    expect(refusalNotice('shape:abc is marked internal: it belongs in the internal document')).not.toContain('The team marked')
  })

  test('any other reason is kept, its record ids replaced', () => {
    const notice = refusalNotice('binding:x1 names another creator')
    expect(notice).toBe('A change you made was not allowed (an item names another creator). The board was reloaded from the server without it.')
    expect(refusalNotice('')).toBe('A change you made was not allowed. The board was reloaded from the server without it.')
    for (const reason of ['shape:y3h6FnYqJeZbCCBm46l6W holds internal field department', 'shape:abc is an internal item', 'binding:x1 names another creator']) {
      expect(refusalNotice(reason)).not.toMatch(/shape:|binding:/)
    }
  })

  test('after the changes were made again: what was left out, with its value, or that all were kept (QA q30a)', () => {
    const reason = 'shape:y3h6 holds internal field action.owner'
    expect(replayNotice(reason, [{ field: 'Owner', on: 'Send the questionnaire', value: 'Carla' }], false)).toBe(
      'The facilitator made “Owner” internal while you made your changes. Not kept, as the customer does not see it: Owner on ‘Send the questionnaire’ (“Carla”). The board was reloaded from the server and your other changes were made again.',
    )
    expect(replayNotice(reason, [], true)).toBe('The facilitator made “Owner” internal while you made your changes. The board was reloaded from the server and your changes were made again, “Owner” for the team only.')
    expect(replayNotice('shape:abc is an internal item', [], false)).toBe('The team marked an item internal as you changed it: your change to it was not kept. The board was reloaded from the server and your other changes were made again.')
    expect(replayNotice(reason, [{ field: 'Notes', on: 'Ana', value: 'x'.repeat(100) }], false)).toContain(`(“${'x'.repeat(80)}…”)`)
  })
})

test('a board full of items or content is said so, with what to do [S28]', () => {
  for (const cap of [{ records: 10_000 }, { bytes: 32 * 1024 * 1024 }]) {
    const notice = refusalNotice(boardFullReason(cap))
    expect(notice).toMatch(/^This board is full \(at most (10000 items|32 MB of content)\), so what you added was not kept\. Delete items/)
  }
})
