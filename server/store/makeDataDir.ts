/**
 * Creating DATA_DIR and its missing parents, one directory at a time. Node's recursive `mkdir`
 * spins for ever on a path whose parent exists but takes no new directories (under /proc or /sys
 * the kernel answers ENOENT, the parent is there, and Node tries again): the server hung at full
 * CPU instead of saying why it could not start (QA q35b 7).
 */
import fs from 'node:fs'
import path from 'node:path'

/** The code of the error {@link makeDataDir} throws where the file system takes no new directory. */
export const DIR_REFUSED = 'KEYPLAN_DIR_REFUSED'

/** Creates `dir` (and its missing parents); throws a system error (or {@link DIR_REFUSED}) where it cannot. */
export function makeDataDir(dir: string): void {
  const missing: string[] = []
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) {
    missing.unshift(current)
    if (path.dirname(current) === current) break
  }
  for (const each of missing) {
    try {
      fs.mkdirSync(each)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code // fs errors carry a code
      // Made meanwhile by another process starting on the same DATA_DIR.
      if (code === 'EEXIST' && fs.statSync(each).isDirectory()) continue
      // Its parent is there (made or found just now), yet the kernel says there is no such path.
      if (code === 'ENOENT') throw Object.assign(new Error(`mkdir '${each}'`), { code: DIR_REFUSED })
      throw error
    }
  }
  // A file where the directory should be: as the recursive mkdir said.
  if (!fs.statSync(dir).isDirectory()) throw Object.assign(new Error(`mkdir '${dir}': a file is in the way`), { code: 'EEXIST' })
}
