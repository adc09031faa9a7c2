/** The repository root. */
export declare const repoRoot: string
/** True when dist/client/index.html exists and is newer than every client input. */
export declare function isClientBuildFresh(): boolean
/** Runs `vite build` in a child process (atomically replacing dist/client); returns its exit code. */
export declare function buildClient(): number
