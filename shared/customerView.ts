import { BOARD_IDS, type BoardId } from './boards.ts'
import type { PlanView } from './plan.ts'

/**
 * The plan a customer guest may see: sections of boards that are not customer-facing are
 * removed (the keys are absent, not emptied), and so are the warnings about those boards.
 * SWOT follows the `swot` board, stakeholders and relationships the `stakeholders` board,
 * actions the `actions` board; each dot vote follows its board.
 * @example
 * const view = customerView(record, workshop.customerFacing) // { swot: false, ... } drops swot
 */
export function customerView(plan: PlanView, customerFacing: Record<BoardId, boolean>): PlanView {
  const { swot, stakeholders, relationships, actions, votes, warnings, ...header } = plan
  const shown = new Set(BOARD_IDS.filter((board) => customerFacing[board]))
  return {
    ...header,
    ...(shown.has('swot') && swot ? { swot } : {}),
    ...(shown.has('stakeholders') && stakeholders ? { stakeholders } : {}),
    ...(shown.has('stakeholders') && relationships ? { relationships } : {}),
    ...(shown.has('actions') && actions ? { actions } : {}),
    votes: votes.filter((vote) => shown.has(vote.board)),
    warnings: warnings.filter((warning) => shown.has(warning.board)),
  }
}
