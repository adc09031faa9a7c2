import { ACTION_STATUSES, type ActionStatus } from './shapes.ts'

/**
 * The actions in the board's column order (Open, In progress, Done, Blocked), each column's in the
 * plan's order (its reading order: top to bottom), as the review page, the Markdown and the Actions
 * CSV list them: the plan's reading order across the columns mixed the statuses (QA q27a). Where
 * the status is withheld from the viewer, the plan's order.
 * @example actionsInColumnOrder(plan.actions).map((a) => a.status) // ['open', 'open', 'in_progress', 'done', 'blocked']
 */
export function actionsInColumnOrder<Action extends { status?: ActionStatus | undefined }>(actions: readonly Action[]): Action[] {
  const rank = (action: Action) => (action.status === undefined ? 0 : ACTION_STATUSES.indexOf(action.status))
  return [...actions].sort((p, q) => rank(p) - rank(q)) // stable: the plan's order within a status
}
