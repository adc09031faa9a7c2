/**
 * QA pass q29b: a relationship removed since the older snapshot, whose card was deleted too, read
 * "someone no longer on the map conflict 李伟" on the review page, though the older snapshot had
 * the name. Its ends are now named as the diff names them (the newer plan, else the older).
 */
import { createElement } from 'react'
import { renderToStaticMarkup } from 'react-dom/server'
import { expect, test } from 'vitest'
import { StakeholderSection } from '../../client/review/StakeholderSection.tsx'
import { diffPlans, withItemNames } from '../../shared/planDiff.ts'
import { samplePlan } from '../helpers/samplePlan.ts'

test("a removed line whose card is gone names that card as the older plan did", () => {
  const older = samplePlan()
  const ceo = older.stakeholders.find((person) => person.id === 'shape:ceo')
  if (!ceo) throw new Error('the sample plan has no CEO')
  const newer = { ...older, stakeholders: older.stakeholders.filter((person) => person.id !== 'shape:ceo'), relationships: [] }
  const diff = withItemNames(diffPlans(newer, older), newer, older)
  const html = renderToStaticMarkup(createElement(StakeholderSection, { stakeholders: newer.stakeholders, relationships: newer.relationships, diff, withheld: undefined }))
  expect(html).toContain(ceo.name)
  expect(html).not.toContain('someone no longer on the map')
})
