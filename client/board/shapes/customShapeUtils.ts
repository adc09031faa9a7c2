import { ActionCardShapeUtil } from './ActionCardShapeUtil.tsx'
import { CompetitorCardShapeUtil } from './CompetitorCardShapeUtil.tsx'
import { ObjectiveCardShapeUtil } from './ObjectiveCardShapeUtil.tsx'
import { StakeholderCardShapeUtil } from './StakeholderCardShapeUtil.tsx'
import { WhitespaceCardShapeUtil } from './WhitespaceCardShapeUtil.tsx'

/** Keyplan's own shape utils, passed to both the store and the `<Tldraw>` component. */
export const customShapeUtils = [
  StakeholderCardShapeUtil,
  ActionCardShapeUtil,
  ObjectiveCardShapeUtil,
  WhitespaceCardShapeUtil,
  CompetitorCardShapeUtil,
] as const
