import { BOARD_IDS, type BoardId } from './boards.ts'
import type { PlanView } from './plan.ts'

/**
 * The plan a customer guest may see: sections of boards that are not customer-facing are
 * removed (the keys are absent, not emptied), and so are the warnings about those boards.
 * SWOT follows the `swot` board, stakeholders and relationships the `stakeholders` board,
 * objectives the `objectives` board, actions the `actions` board, whitespace and competitors the
 * `whitespace` board, each of the notes of the other boards its own board. Health is read off every board, so it stays only when every board is shown
 * (docs/security.md [A22]). Each dot vote follows its board. Links into a board not shown (an
 * action's objectives, an objective's SWOT notes and actions) are emptied: their ids are that
 * board's items.
 * @example
 * const view = customerView(record, workshop.customerFacing) // { swot: false, ... } drops swot
 */
export function customerView(plan: PlanView, customerFacing: Record<BoardId, boolean>): PlanView {
  const { swot, stakeholders, relationships, objectives, actions, whitespace, competitors, notes, health, votes, warnings, ...header } = plan
  const shown = new Set(BOARD_IDS.filter((board) => customerFacing[board]))
  return {
    ...header,
    ...(shown.has('swot') && swot ? { swot } : {}),
    ...(shown.has('stakeholders') && stakeholders ? { stakeholders } : {}),
    ...(shown.has('stakeholders') && relationships ? { relationships } : {}),
    // Links into a board not shown are left out with it: their ids are that board's items.
    ...(shown.has('objectives') && objectives
      ? { objectives: objectives.map((o) => ({ ...o, addresses: shown.has('swot') ? o.addresses : [], actions: shown.has('actions') ? o.actions : [] })) }
      : {}),
    ...(shown.has('actions') && actions ? { actions: shown.has('objectives') ? actions : actions.map((a) => ({ ...a, objectives: [] })) } : {}),
    ...(shown.has('whitespace') && whitespace ? { whitespace } : {}),
    ...(shown.has('whitespace') && competitors ? { competitors } : {}),
    // [P17] each note follows its board.
    ...(notes ? { notes: notes.filter((note) => shown.has(note.board)) } : {}),
    ...(shown.size === BOARD_IDS.length && health ? { health } : {}),
    votes: votes.filter((vote) => shown.has(vote.board)),
    // Nor one about a board not shown through a board shown (QA q36b: a guest read of the team's SWOT).
    warnings: warnings.filter((warning) => {
      const about = concernsOf(warning)
      return shown.has(warning.board) && (about === undefined || shown.has(about))
    }),
  }
}

/** The other board a warning is about; for plans taken before warnings said so, read from its words. */
function concernsOf(warning: PlanView['warnings'][number]): BoardId | undefined {
  return warning.concerns ?? (warning.board === 'objectives' && warning.message.includes('on the SWOT') ? 'swot' : undefined)
}
