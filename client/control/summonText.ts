import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'

/**
 * What a page announces when the facilitator brings everyone to a board or presents one. A board
 * this page may not see is not named, and the page stays where it is: it is not told it follows
 * (QA q30b: a guest read "…you follow them" and stayed put).
 * @example summonAnnouncement({ leaderName: 'Fran', board: 'swot', present: true }) // 'Fran is presenting SWOT: you follow them'
 */
export function summonAnnouncement(event: { leaderName: string; board: BoardId | 'internal'; present: boolean }): string {
  if (event.board === 'internal') {
    return `${event.leaderName} ${event.present ? 'is presenting' : 'brought everyone to'} a board you do not see: you stay where you are`
  }
  const where = BOARD_TITLES[event.board]
  return event.present ? `${event.leaderName} is presenting ${where}: you follow them` : `${event.leaderName} brought everyone to ${where}`
}
