/**
 * [A36] A plan warning names its card ("Raj Patel") for the team, but a guest's view leaves the
 * name out: it may be a field withheld from guests (a stakeholder's name made internal). The guest
 * still reads the warning itself ("A stakeholder card on the SWOT board…").
 */
import { expect, test } from 'vitest'
import { customerSafePlan } from '../../shared/customerSafePlan.ts'
import { resolveSensitivity } from '../../shared/sensitivity.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

test('a guest gets the warning without the card’s name', () => {
  const message = 'A stakeholder card on the SWOT board is not part of the plan; move it to the Stakeholder map board'
  const team = samplePlan({ warnings: [{ board: 'swot', shapeId: 'shape:stray', label: 'Raj Patel', message }] })
  const guest = customerSafePlan(team, resolveSensitivity(undefined), new Set())
  expect(guest.warnings).toEqual([{ board: 'swot', shapeId: 'shape:stray', message }])
})
