import type { TLUiOverrides } from 'tldraw'
import { SHAPE_TYPES } from '../../shared/shapes.ts'

/**
 * tldraw names a selected shape to screen readers by its tool's translation (`tool.<type>`); our
 * cards have none, so it read out the key ("tool.stakeholder. 1 of 1"). Pass in `<Tldraw>`'s
 * `overrides`; a module constant.
 */
export const cardNames: TLUiOverrides = {
  translations: {
    en: {
      [`tool.${SHAPE_TYPES.stakeholder}`]: 'Stakeholder card',
      [`tool.${SHAPE_TYPES.action}`]: 'Action card',
      [`tool.${SHAPE_TYPES.objective}`]: 'Objective card',
      [`tool.${SHAPE_TYPES.whitespace}`]: 'Whitespace cell',
      [`tool.${SHAPE_TYPES.competitor}`]: 'Competitor card',
    },
  },
}
