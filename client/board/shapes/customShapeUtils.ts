import { ActionCardShapeUtil } from './ActionCardShapeUtil.tsx'
import { StakeholderCardShapeUtil } from './StakeholderCardShapeUtil.tsx'

/** Keyplan's own shape utils, passed to both the store and the `<Tldraw>` component. */
export const customShapeUtils = [StakeholderCardShapeUtil, ActionCardShapeUtil] as const
