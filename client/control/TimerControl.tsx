import { PopoverClose } from '../components/PopoverClose.tsx'
import { useCallback, useEffect, useRef, useState } from 'react'
import { CONTROL_CLIENT, timerRemainingMs, type TimerCommand, type TimerState } from '../../shared/control.ts'
import { useDismiss } from '../components/useDismiss.ts'
import { useFocusAfter } from '../components/useFocusAfter.ts'
import { useFitInViewport } from '../components/useFitInViewport.ts'

/** mm:ss (h:mm:ss past an hour), rounded up so 0:00 shows only when time is up. */
export function formatRemaining(ms: number): string {
  const total = Math.ceil(ms / 1000)
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = String(total % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`
}

/** A short, soft two-note chime through WebAudio; silent where audio is not allowed. */
function chime(): void {
  try {
    const audio = new AudioContext()
    const now = audio.currentTime
    for (const [i, frequency] of [660, 880].entries()) {
      const oscillator = audio.createOscillator()
      const gain = audio.createGain()
      oscillator.frequency.value = frequency
      gain.gain.setValueAtTime(0.0001, now + i * 0.25)
      gain.gain.exponentialRampToValueAtTime(0.15, now + i * 0.25 + 0.03)
      gain.gain.exponentialRampToValueAtTime(0.0001, now + i * 0.25 + 0.6)
      oscillator.connect(gain).connect(audio.destination)
      oscillator.start(now + i * 0.25)
      oscillator.stop(now + i * 0.25 + 0.65)
    }
    window.setTimeout(() => void audio.close(), 1500)
  } catch {
    // No audio (autoplay policy, no device): the visual signal is enough.
  }
}

const PRESETS_MIN = [1, 3, 5, 10, 15]
/** Why the facilitator's timer buttons are disabled: a press now would reach nobody. */
export const TIMER_OFFLINE = 'Reconnecting to the room: the timer can be changed again once it is back.'
const SOUND_KEY = 'keyplan:timerSound'

interface TimerControlProps {
  timer: TimerState
  clockOffsetMs: number
  /** The facilitator runs the timer; everyone else sees it. */
  canRun: boolean
  /** The room's control socket is open: while it is not, the controls are disabled and say why. */
  connected: boolean
  /**
   * Shown in the presenter's overlay: the display with the controls a running timer needs (Pause or
   * Resume, +1 min) and the mute, in a row, with no popover (Esc there ends the presentation).
   */
  inline?: boolean
  send(message: { type: typeof CONTROL_CLIENT.timer; command: TimerCommand }): void
}

/**
 * The workshop timer in the header, the same on every board: counts down on the server's clock
 * (corrected by the offset the server's messages give), signals gently at zero (the display turns
 * to "Time's up" and, unless this browser muted it, a short chime). The facilitator's button opens
 * its controls; everyone else has a mute button beside the display.
 */
export function TimerControl({ timer, clockOffsetMs, canRun, connected, inline = false, send }: TimerControlProps) {
  const [now, setNow] = useState(() => Date.now() + clockOffsetMs)
  const [open, setOpen] = useState(false)
  const [sound, setSound] = useState(() => localStorage.getItem(SOUND_KEY) !== 'off')
  const popover = useRef<HTMLDivElement>(null)
  const fitted = useFitInViewport<HTMLDivElement>()
  const close = useCallback(() => setOpen(false), [])
  useDismiss(open, popover, close)

  useEffect(() => {
    setNow(Date.now() + clockOffsetMs)
    if (timer.status !== 'running') return
    const tick = window.setInterval(() => setNow(Date.now() + clockOffsetMs), 250)
    return () => window.clearInterval(tick)
  }, [timer, clockOffsetMs])

  const remaining = timerRemainingMs(timer, now)
  const done = timer.status === 'running' && remaining === 0
  // Chime once per run, only when this page saw the countdown reach zero (not on a reload after it).
  const sawRunning = useRef(false)
  useEffect(() => {
    if (timer.status === 'running' && remaining > 0) sawRunning.current = true
    if (done && sawRunning.current) {
      sawRunning.current = false
      if (sound) chime()
    }
  }, [timer.status, remaining, done, sound])

  const command = (c: TimerCommand) => send({ type: CONTROL_CLIENT.timer, command: c })
  // Stop timer takes its buttons away: the focus goes to the first preset, not to the page.
  const firstPreset = useRef<HTMLButtonElement>(null)
  const focusFirstPreset = useFocusAfter(firstPreset, timer.status === 'idle')
  const display =
    timer.status === 'idle' ? null : (
      <span className={`timer-display${done ? ' timer-done' : ''}${timer.status === 'paused' ? ' timer-paused' : ''}`} role="timer" aria-live="off">
        {done ? 'Time’s up' : formatRemaining(remaining)}
        {timer.status === 'paused' && ' (paused)'}
      </span>
    )

  const changeSound = (on: boolean) => {
    setSound(on)
    localStorage.setItem(SOUND_KEY, on ? 'on' : 'off')
  }

  // One button that turns from Pause into Resume and back, so the focus stays on it.
  const pauseResume = ((timer.status === 'running' && !done) || timer.status === 'paused') && (
    <button type="button" className="button button-small" disabled={!connected} title={connected ? undefined : TIMER_OFFLINE} onClick={() => command({ action: timer.status === 'paused' ? 'resume' : 'pause' })}>
      {timer.status === 'paused' ? 'Resume' : 'Pause'}
    </button>
  )
  const extend = timer.status !== 'idle' && (
    <button type="button" className="button button-small" disabled={!connected} title={connected ? undefined : TIMER_OFFLINE} onClick={() => command({ action: 'extend', byMs: 60_000 })}>
      +1 min
    </button>
  )

  // Everyone else gets their own mute beside the display: the chime is this browser's choice, the
  // same key as the facilitator's checkbox, so it silences only this page. The presenting
  // facilitator gets Pause/Resume and +1 min beside it too.
  if (!canRun || inline)
    return display ? (
      <div className="timer timer-view" role="group" aria-label="Timer">
        {display}
        {canRun && pauseResume}
        {canRun && extend}
        <button
          type="button"
          className="button button-small timer-mute"
          aria-pressed={!sound}
          aria-label="Mute timer sound"
          title={sound ? 'Sound at zero: on' : 'Sound at zero: off'}
          onClick={() => changeSound(!sound)}
        >
          <BellIcon muted={!sound} />
        </button>
      </div>
    ) : null
  return (
    <div className="timer" ref={popover}>
      <button type="button" className="button button-small" aria-expanded={open} aria-label={`Timer${display ? `: ${done ? 'time’s up' : formatRemaining(remaining)}` : ''}`} onClick={() => setOpen(!open)}>
        {display ?? 'Timer'}
      </button>
      {open && (
        <div className="timer-popover" role="group" aria-label="Timer controls" ref={fitted}>
          {!connected && (
            <p className="muted timer-offline" role="status">
              {TIMER_OFFLINE}
            </p>
          )}
          <div className="timer-presets">
            {PRESETS_MIN.map((min, i) => (
              <button key={min} ref={i === 0 ? firstPreset : undefined} type="button" className="button button-small" disabled={!connected} onClick={() => command({ action: 'start', durationMs: min * 60_000 })}>
                Start {min} min
              </button>
            ))}
          </div>
          {pauseResume}
          {timer.status !== 'idle' && (
            <>
              {extend}
              <button
                type="button"
                className="button button-small"
                disabled={!connected}
                onClick={() => {
                  focusFirstPreset()
                  command({ action: 'stop' })
                }}
              >
                Stop timer
              </button>
            </>
          )}
          <label className="timer-sound">
            <input
              type="checkbox"
              checked={sound}
              onChange={(event) => changeSound(event.target.checked)}
            />
            Chime at zero
          </label>
          {/* Last, so the focus goes to the first real control on open; shown first (CSS order). */}
          <PopoverClose onClose={close} />
        </div>
      )}
    </div>
  )
}

/** A bell, struck through when muted: drawn, not an emoji, which some machines have no font for. */
function BellIcon({ muted }: { muted: boolean }) {
  return (
    <svg className="timer-bell" width="14" height="14" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      <path d="M6 16v-5a6 6 0 0 1 12 0v5l2 2H4z" />
      <path d="M10 21h4" />
      {muted && <path d="M3 3l18 18" />}
    </svg>
  )
}
