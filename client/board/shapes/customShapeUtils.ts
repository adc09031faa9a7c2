import { ActionCardShapeUtil } from './ActionCardShapeUtil.tsx'
import { CompetitorCardShapeUtil } from './CompetitorCardShapeUtil.tsx'
import { KeyplanFrameShapeUtil } from './KeyplanFrameShapeUtil.ts'
import { ObjectiveCardShapeUtil } from './ObjectiveCardShapeUtil.tsx'
import { StakeholderCardShapeUtil } from './StakeholderCardShapeUtil.tsx'
import { WhitespaceCardShapeUtil } from './WhitespaceCardShapeUtil.tsx'

/**
 * Keyplan's own shape utils, passed to both the store and the `<Tldraw>` component; the frame's
 * replaces tldraw's (same type, same props).
 */
export const customShapeUtils = [
  KeyplanFrameShapeUtil,
  StakeholderCardShapeUtil,
  ActionCardShapeUtil,
  ObjectiveCardShapeUtil,
  WhitespaceCardShapeUtil,
  CompetitorCardShapeUtil,
] as const
