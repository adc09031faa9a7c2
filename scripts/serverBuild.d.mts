/** The built entry point (`server/index.ts` bundled, its lazily loaded chunks beside it). */
export declare const serverEntry: string
/** True when dist/node holds a build newer than every server input. */
export declare function isServerBuildFresh(): boolean
/** Bundles the server into dist/node (atomically replacing it); returns the build's exit code. */
export declare function buildServer(): number
