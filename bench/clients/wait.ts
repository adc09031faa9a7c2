import { setTimeout as sleep } from 'node:timers/promises'

/** Polls `done` every 20 ms; false if it is still not true after `timeoutMs`. */
export async function waitFor(done: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) return false
    await sleep(20)
  }
  return true
}

/** Rejects with a readable message when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    // Room names of Keyplan carry an invite token; bench output never shows it.
    const shown = what.replace(/([?&]token=)[^&\s]+/g, '$1…')
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${shown}`)), ms)
  })
  try {
    return await Promise.race([promise, timeout])
  } finally {
    clearTimeout(timer)
  }
}
