import { useCallback, useEffect, useRef, useState } from 'react'
import { react, type Editor, type TLUserId } from 'tldraw'
import { BOARD_TITLES, type BoardId } from '../../shared/boards.ts'
import { isTextEntry } from './typingNow.ts'
import type { ControlParticipant } from '../../shared/control.ts'

/** Whom this page follows, across boards. */
export type FollowTarget = {
  userId: string
  name: string
  /** Brought here by their presentation ([C12]): the following ends when it does. */
  presentation?: boolean
}

/** Where the followed person is, from the workshop-wide participant list. */
function leaderOf(participants: readonly ControlParticipant[], selfId: string | null, userId: string): ControlParticipant | undefined {
  const pages = participants.filter((p) => p.userId === userId && p.id !== selfId)
  return pages.find((p) => p.where !== null) ?? pages[0]
}

/**
 * Following that carries across boards: while this page follows someone, it goes to their board
 * whenever they switch (if this role may see it), and says so when they are on a board it may not
 * see, or nowhere. Following ends only when the person chooses to stop, pans away on the canvas, or
 * opens another board than the leader's.
 * @returns the target, a notice to show, and setters
 */
export function useFollow(options: {
  participants: readonly ControlParticipant[]
  selfId: string | null
  board: BoardId | null
  visibleBoards: readonly BoardId[]
  /** Takes the page to the board `leaderName` is on. */
  go(board: BoardId, leaderName: string): void
  /** True while the person types: a move to the leader's board waits until they pause. */
  typing?: () => boolean
}): {
  following: FollowTarget | null
  notice: string | null
  follow(target: FollowTarget | null): void
  /** Stops following `userId` if this page follows them (their presentation ended, [C12]). */
  release(userId: string): void
  /**
   * The control socket (re)connected and `presenterUserId` presents now (null: nobody): a page
   * brought to follow a presentation that ended while it was away stops following ([C12]).
   */
  presenting(presenterUserId: string | null): void
} {
  const { participants, selfId, board, visibleBoards, go, typing = () => false } = options
  const [following, setFollowing] = useState<FollowTarget | null>(null)
  const leader = following ? leaderOf(participants, selfId, following.userId) : undefined
  const where = leader?.where ?? null

  /** The board following sent this page to, until it is there. */
  const sentTo = useRef<BoardId | null>(null)
  // The leader's board, while this person types: the page goes there once they pause (QA q35a).
  const [held, setHeld] = useState<BoardId | null>(null)
  const typingNow = useRef(typing)
  typingNow.current = typing
  const lastBoard = useRef(board)
  useEffect(() => {
    // A board this person opened themselves (not one following sent the page to). The first board
    // the page knows (its boards arrive after the room's welcome, which may already have it follow
    // a presentation) is where it opened, not a choice (full run: it ended the following at once).
    const chosen = board !== null && lastBoard.current !== null && board !== lastBoard.current && board !== sentTo.current
    lastBoard.current = board
    if (board === sentTo.current) sentTo.current = null
    if (!following) return
    // Choosing another board than the leader's ends the following, as panning away on the canvas
    // does; the page took them back to the leader's board (at once, or after tldraw's own stop on the
    // canvas had ended the canvas's following). From a presentation too, as a pan leaves it (QA
    // q35a: the page loaded the board chosen and sprang back to the presenter's without a word).
    if (chosen && board !== where) {
      setFollowing(null)
      return
    }
    if (where === null || where === 'internal' || where === board) return
    if (visibleBoards.includes(where)) {
      if (typingNow.current()) {
        setHeld(where)
        return
      }
      setHeld(null)
      sentTo.current = where
      go(where, following.name)
    }
  }, [following, where, board, visibleBoards, go, held])

  // Held while typing: looked at again until the person pauses (the effect above then goes).
  useEffect(() => {
    if (held === null) return
    const timer = window.setInterval(() => {
      if (!typingNow.current()) setHeld(null)
    }, 250)
    return () => window.clearInterval(timer)
  }, [held])

  // Someone who left (closed their page, lost their connection) and is not back within
  // LEADER_GONE_MS is no longer followed (QA q28a: the following could not be stopped, no row
  // having a Stop following, and their return an hour later pulled the page to their board). A
  // reload or a short drop keeps it.
  const gone = following !== null && leader === undefined
  useEffect(() => {
    if (!gone) return
    const timer = setTimeout(() => setFollowing(null), LEADER_GONE_MS)
    return () => clearTimeout(timer)
  }, [gone])

  let notice: string | null = null
  if (following) {
    if (held !== null && held === where) notice = `${following.name} went to ${BOARD_TITLES[held]}: you follow them there once you stop typing.`
    else if (!leader) notice = `${following.name} has left the workshop. You stop following them unless they are back in a moment.`
    else if (where === null) notice = `${following.name} is not on a board right now.`
    else if (where === 'internal' || !visibleBoards.includes(where)) {
      notice = `${following.name} is on a board you cannot see. You stay here and follow them when they come back.`
    }
  }
  const release = useCallback((userId: string) => setFollowing((current) => (current?.userId === userId ? null : current)), [])
  const presenting = useCallback(
    (presenterUserId: string | null) =>
      setFollowing((current) => (current?.presentation && current.userId !== presenterUserId ? null : current)),
    [],
  )
  return { following, notice, follow: setFollowing, release, presenting }
}

/** How long the following of someone who left waits for them to come back (a reload, a short drop). */
export const LEADER_GONE_MS = 10_000

/** How long a follow that ended on the canvas waits for news that the leader only switched board. */
const LEADER_SWITCH_GRACE_MS = 1500

/**
 * Input by which a person moves the canvas or stops following on it: a press, a wheel or a key
 * outside a text entry (tldraw's own stop button and its zoom shortcuts included), caught before
 * tldraw handles it.
 */
const PERSON_INPUT = ['pointerdown', 'wheel', 'keydown'] as const

/**
 * Follows `target` on this board's canvas with tldraw's own following, starting as soon as the
 * person's cursor presence is on this board. When tldraw's following ends while the person is still
 * on this board and this person gave input since it started (they panned away, or pressed tldraw's
 * own stop), `onEnded` is called; when it ends because they left for another board, the page follows
 * them there instead (see useFollow). tldraw also ends its following on any camera move made by
 * code (`setCamera`, an animated move): such an end, with no input from the person, is not their
 * choice, and the canvas follows again (CI: a board's content arriving after the leader's presence
 * was framed, and the follower stopped following for good).
 */
export function useCanvasFollow(
  editor: Editor | null,
  target: FollowTarget | null,
  leaderOnThisBoard: () => boolean,
  onEnded: () => void,
): void {
  const check = useRef({ leaderOnThisBoard, onEnded })
  check.current = { leaderOnThisBoard, onEnded }
  const userId = target?.userId ?? null
  useEffect(() => {
    if (!editor || userId === null) return
    let started = false
    // Whether the leader's presence left this board since the canvas last followed them: tldraw
    // then stops following by itself, which is no sign the person here chose to stop.
    let leaderWentAway = false
    // Whether the person pressed, scrolled or typed since the canvas last started following.
    let following = false
    let personActed = false
    // Whether the person pressed, scrolled or typed while the canvas followed nobody (the leader on
    // another board, on none, or not here yet): a camera move after it is their pan or zoom.
    let actedWhileIdle = false
    const acted = (event: Event) => {
      // Typing text (a note, a field) moves no camera: only a press, a wheel or a canvas shortcut counts.
      if (event.type === 'keydown' && event.target instanceof Element && isTextEntry(event.target)) return
      personActed = true
      if (editor.getInstanceState().followingUserId === null) actedWhileIdle = true
    }
    for (const type of PERSON_INPUT) window.addEventListener(type, acted, { capture: true, passive: true })
    let pending: number | undefined
    // The view while the canvas follows the leader, present (tldraw derives it from their presence).
    let followedCamera: { x: number; y: number; z: number } | null = null
    const stopRecording = react('followed view', () => {
      const { x, y, z } = editor.getCamera()
      if (editor.getInstanceState().followingUserId === userId && editor.getCollaborators().some((c) => c.userId === userId)) followedCamera = { x, y, z }
    })
    const stop = react('follow across boards', () => {
      const current = editor.getInstanceState().followingUserId
      const present = editor.getCollaborators().some((c) => c.userId === userId)
      if (current === userId) {
        if (!following) personActed = false
        following = true
        started = true
        leaderWentAway = false
        return
      }
      // tldraw ended its following because the leader's presence went (another board, a reload):
      // its camera is then the one stored when the following locked, long ago; the view stays
      // where the leader had taken it instead (QA q35a: the guest was thrown back to the board's
      // first framing).
      if (following && !present && followedCamera) {
        const camera = followedCamera
        window.setTimeout(() => {
          if (editor.getInstanceState().followingUserId !== null) return
          // Our own move: not the person's pan, whatever they pressed meanwhile.
          actedWhileIdle = false
          editor.setCamera(camera)
        })
      }
      following = false
      if (started && !present) leaderWentAway = true
      window.clearTimeout(pending)
      // Never change the store from inside a reaction: the next tick.
      pending = window.setTimeout(() => {
        if (editor.getInstanceState().followingUserId === userId) return
        // They left this board (for one this page follows them to, or one it may not see): when
        // they come back to this one, the canvas follows them again, as on first following. They
        // may be back before the grace is over: then at once.
        const onThisBoard = check.current.leaderOnThisBoard()
        if (started && (!onThisBoard || (current === null && (!present || leaderWentAway)))) {
          started = false
          leaderWentAway = false
          if (!present || !onThisBoard) return
        }
        if (started && current === null && personActed) return check.current.onEnded()
        if (present) editor.startFollowingUser(userId as TLUserId) // control user ids are `user:<uuid>`, checked by the server
      }, started ? LEADER_SWITCH_GRACE_MS : 0)
    })
    // A pan or zoom ends the following wherever the leader is, as README promises (QA q35a: with the
    // leader on a board this page cannot see, panning ended nothing, and the view was taken over
    // when they came back).
    const stopCamera = react('camera moved by the person', () => {
      editor.getCamera()
      if (editor.getInstanceState().followingUserId !== null) {
        actedWhileIdle = false
        return
      }
      if (!actedWhileIdle) return
      actedWhileIdle = false
      // Never change the store from inside a reaction: the next tick.
      window.setTimeout(() => {
        if (editor.getInstanceState().followingUserId === null) check.current.onEnded()
      })
    })
    return () => {
      stop()
      stopCamera()
      stopRecording()
      for (const type of PERSON_INPUT) window.removeEventListener(type, acted, { capture: true })
      window.clearTimeout(pending)
      if (editor.getInstanceState().followingUserId === userId) editor.stopFollowingUser()
    }
  }, [editor, userId])
}
