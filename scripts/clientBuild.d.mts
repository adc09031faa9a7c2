/** The repository root. */
export declare const repoRoot: string
/** True when dist/client/index.html exists and is newer than every client input. */
export declare function isClientBuildFresh(): boolean
/** Runs `vite build` in a child process (atomically replacing dist/client); returns its exit code. */
export declare function buildClient(): number
/** The newest modification time of `path` or anything under it (0 when it is missing). */
export declare function newestMtime(path: string): number
