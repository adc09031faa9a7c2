/**
 * A board room's field sensitivities (issue 13) with the grace of `docs/security.md` [A37]: for
 * {@link SENSITIVITY_GRACE_MS} after a change, the sensitivity before it is still known, so that a
 * write a page routed by it can be kept and then moved; the moves run one at a time.
 */
import type { Sensitivity } from '../../shared/sensitivity.ts'

/**
 * How long after a sensitivity change a write routed by the sensitivity before it is still
 * accepted (and then moved): the push reaches a page on its control socket, not with the values.
 */
export const SENSITIVITY_GRACE_MS = 30_000

export class SensitivityGrace {
  private currentOne: Sensitivity
  private previousOne: { sensitivity: Sensitivity; until: number } | undefined
  /** A move is scheduled or running; `again` when more was asked meanwhile. */
  private moving: { again: boolean } | undefined

  /**
   * `move` moves the board's values where the current sensitivity says (after the turn that asked
   * is durable); `failed` logs a move that threw.
   */
  constructor(
    initial: Sensitivity,
    private readonly move: () => Promise<void>,
    private readonly failed: (error: unknown) => void,
  ) {
    this.currentOne = initial
  }

  get current(): Sensitivity {
    return this.currentOne
  }

  /** Sets the sensitivity; a different one starts the grace of the one it replaces. */
  set(next: Sensitivity): void {
    if (JSON.stringify(next) !== JSON.stringify(this.currentOne)) {
      this.previousOne = { sensitivity: this.currentOne, until: performance.now() + SENSITIVITY_GRACE_MS }
    }
    this.currentOne = next
  }

  /** The sensitivity before the last change while its grace lasts; else undefined. */
  previous(): Sensitivity | undefined {
    return this.previousOne && performance.now() < this.previousOne.until ? this.previousOne.sensitivity : undefined
  }

  /** Runs `move` once the current event-loop turn is over; one at a time, again if asked meanwhile. */
  moveSoon(): void {
    if (this.moving) {
      this.moving.again = true
      return
    }
    const moving = (this.moving = { again: false })
    const run = async (): Promise<void> => {
      do {
        moving.again = false
        // After the turn: the check that asks runs inside the transaction applying the write.
        await new Promise<void>((resolve) => setImmediate(resolve))
        await this.move()
      } while (moving.again)
    }
    run()
      .catch(this.failed)
      .finally(() => {
        this.moving = undefined
      })
  }
}
