/** The compiled entry point (`server/index.ts` as JavaScript). */
export declare const serverEntry: string
/** True when dist/node holds a build newer than every server input. */
export declare function isServerBuildFresh(): boolean
/** Compiles the server into dist/node (atomically replacing it); returns tsc's exit code. */
export declare function buildServer(): number
