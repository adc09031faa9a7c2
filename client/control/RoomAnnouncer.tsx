import { useEffect, useRef, useState } from 'react'
import type { RoomControl } from './useRoomControl.ts'

/** Something the page says aloud: its text, and when (the same words said again are a new announcement). */
export type Announcement = { text: string; at: number }

/** Announcements this close together are said as one. */
const TOGETHER_MS = 1500

/** "5 min", "90 s". */
function duration(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`
}

/**
 * What happens in the room, said to a screen reader (QA q29c: a vote starting or closing, the
 * timer running out, being brought to another board were shown but never announced): a polite
 * live region, visually hidden, with the last event in words. Vote and timer changes are read
 * from the room's state; `said` carries what the page was told of otherwise (a summons, the end
 * of a presentation).
 */
export function RoomAnnouncer({ control, said }: { control: RoomControl; said: Announcement | null }) {
  const [last, setLast] = useState<Announcement & { parts?: readonly string[] }>({ text: '', at: 0 })
  // Events close together are said together: a second change of the region's text right after the
  // first may replace it before a screen reader reads it (a summons and a join, a reconnection's
  // "presentation ended" and the timer). The last three within the moment.
  const add = (text: string, at: number) =>
    setLast((previous) => {
      const parts = at - previous.at < TOGETHER_MS && previous.text !== '' ? [...(previous.parts ?? [previous.text]), text].slice(-3) : [text]
      return { text: parts.join('. '), parts, at }
    })
  const say = (text: string) => add(text, Date.now())
  useEffect(() => {
    if (said) add(said.text, said.at)
  }, [said])

  const { vote, results, timer, clockOffsetMs } = control
  const seenVote = useRef<{ id: string; revealed: boolean } | null>(null)
  useEffect(() => {
    const was = seenVote.current
    seenVote.current = vote ? { id: vote.id, revealed: vote.revealed } : null
    if (!vote) return
    if (was?.id !== vote.id) say(`Vote started: ${vote.question}`)
    else if (vote.revealed && !was.revealed) say(`Vote results shown: ${vote.question}`)
  }, [vote])
  const seenResults = useRef<string | null>(null)
  useEffect(() => {
    if (!results || seenResults.current === results.id) return
    seenResults.current = results.id
    say(`Vote closed: ${results.question}`)
  }, [results])

  const seenTimer = useRef(timer.status)
  // The end of each run (by its `endsAt`) is said once, also when the page first sees it already
  // past (CI: a page busy for longer than the timer rendered the start after its end and never said
  // it; a page reconnecting after the end, before its own countdown fired, cleared it unsaid).
  const endSaid = useRef<number | null>(null)
  useEffect(() => {
    const was = seenTimer.current
    seenTimer.current = timer.status
    if (timer.status === 'running' && was !== 'running') say(was === 'paused' ? 'Timer resumed' : `Timer started: ${duration(timer.durationMs)}`)
    else if (timer.status === 'paused' && was === 'running') say('Timer paused')
    else if (timer.status === 'idle' && was !== 'idle') say('Timer stopped')
    if (timer.status !== 'running') return
    const { endsAt } = timer
    const sayEnd = () => {
      if (endSaid.current === endsAt) return
      endSaid.current = endsAt
      say("Time's up")
    }
    // Time's up on the server's clock, as the countdown shows it.
    const left = endsAt - (Date.now() + clockOffsetMs)
    if (left <= 0) {
      sayEnd()
      return
    }
    const ends = setTimeout(sayEnd, left)
    return () => clearTimeout(ends)
  }, [timer, clockOffsetMs])

  // Who joined or left the workshop, by person (not by tab), once the page knows the room (QA q36c:
  // only the count changed, silently). Not this person's own pages.
  const { participants, selfId, connected } = control
  const known = useRef<Map<string, string> | null>(null)
  useEffect(() => {
    // Who came and went while the page was away is not news of the moment: the next list is a new start.
    if (!connected) known.current = null
    if (!connected || selfId === null) return
    const selfUser = participants.find((page) => page.id === selfId)?.userId
    if (selfUser === undefined) return
    const now = new Map(participants.filter((page) => page.userId !== selfUser).map((page) => [page.userId, page.name]))
    const before = known.current
    known.current = now
    if (before === null) return
    const joined = [...now].filter(([id]) => !before.has(id)).map(([, name]) => name)
    const left = [...before].filter(([id]) => !now.has(id)).map(([, name]) => name)
    const told = [...(joined.length > 0 ? [`${joined.join(', ')} joined`] : []), ...(left.length > 0 ? [`${left.join(', ')} left`] : [])]
    if (told.length > 0) say(told.join('; '))
  }, [participants, selfId, connected])

  return (
    <div className="visually-hidden" role="status" aria-live="polite" data-testid="room-announcer">
      {/* A word said again is a change of the region's text all the same. */}
      {last.text}
      {last.at % 2 === 1 ? '\u00a0' : ''}
    </div>
  )
}
