import type { Endpoint, ParentRequest } from '../protocol.ts'

/** What a scenario running in the client process can use. */
export interface ScenarioContext {
  /** The server to connect to; replaced when the parent restarts the server. */
  endpoint: Endpoint
  /** Ask the parent (which owns the server process) to do something and wait for its answer. */
  request(request: ParentRequest): Promise<unknown>
  /** Progress line, shown by the parent on stderr. */
  log(message: string): void
}
