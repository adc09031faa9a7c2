/**
 * [S45] One timer that beats every open socket of a kind (sync connections, room-control pages), so
 * that a page can tell a silent server from a quiet room; not one timer per socket (issue 14: a
 * timer and its closure are ~250 B of heap each). The timer runs only while the round has members.
 *
 * @example
 * ```ts
 * const beats = new BeatRound<Connection>((conn) => conn.beat())
 * beats.join(conn) // once it is open
 * beats.leave(conn) // when it closes
 * ```
 */
import { SERVER_BEAT_MS } from '../shared/protocol.ts'

export class BeatRound<T> {
  readonly #members = new Set<T>()
  readonly #beat: (member: T) => void
  #timer: NodeJS.Timeout | undefined

  /** `beat` runs for each member every {@link SERVER_BEAT_MS}: it sends what the member needs. */
  constructor(beat: (member: T) => void) {
    this.#beat = beat
  }

  join(member: T): void {
    this.#members.add(member)
    if (this.#timer !== undefined) return
    this.#timer = setInterval(() => {
      for (const member of this.#members) this.#beat(member)
    }, SERVER_BEAT_MS)
    // unref: open sockets must not keep a stopping process alive.
    this.#timer.unref()
  }

  leave(member: T): void {
    if (!this.#members.delete(member) || this.#members.size > 0) return
    clearInterval(this.#timer)
    this.#timer = undefined
  }
}
