/**
 * Messages between a suite (parent process) and the client process (`bench/clients/worker.ts`)
 * over Node's IPC channel. The client process runs one scenario job against one server and
 * may ask the parent for things only the parent can do (restart the server, read its memory).
 */

/** Wire protocol a server speaks; picks the client adapter. */
export type Protocol = 'y-websocket' | 'hocuspocus'

/** Where the clients connect. */
export interface Endpoint {
  protocol: Protocol
  wsUrl: string
}

/** (a) One room, one writer at a fixed rate, every other client measures arrival latency. */
export interface FanOutJob {
  scenario: 'fan-out'
  room: string
  clients: number
  rateHz: number
  warmupMs: number
  durationMs: number
}

/** (b) Many rooms, every client writes as fast as its in-flight window allows. */
export interface ThroughputJob {
  scenario: 'throughput'
  rooms: string[]
  clientsPerRoom: number
  /** Updates of one writer not yet seen by every other client of its room. */
  window: number
  durationMs: number
}

/** (c) Build a big board, have the parent restart the server, time fresh joins. */
export interface ColdJoinJob {
  scenario: 'cold-join'
  room: string
  shapes: number
  edits: number
  writers: number
  /** Server restarts; the first join after each is a cold one. */
  restarts: number
  /** Joins after the restarts while another client keeps the room loaded. */
  warmJoins: number
}

/** (d) Many rooms of idle, synced clients while the parent reads the server's memory. */
export interface IdleRoomsJob {
  scenario: 'idle-rooms'
  rooms: string[]
  clientsPerRoom: number
  recordsPerRoom: number
}

export type Job = FanOutJob | ThroughputJob | ColdJoinJob | IdleRoomsJob

/** What a scenario reports: named numbers, plus anything that went wrong. */
export interface ScenarioResult {
  metrics: Record<string, number>
  warnings: string[]
}

/** Requests the client process makes of the parent while a job runs. */
export type ParentRequest =
  | { what: 'restart-server' } // answered with the new Endpoint
  | { what: 'measure-memory'; idleMs?: number } // answered with the server's settled RSS in MB, read after `idleMs` of idling
  | { what: 'server-cpu' } // answered with the CPU seconds the server process has used so far
  | { what: 'start' } // answered once every client process of the job has asked: all measure one window

export type ToWorker =
  | { type: 'job'; job: Job; endpoint: Endpoint }
  | { type: 'response'; id: number; value: unknown; error?: string }

export type FromWorker =
  | { type: 'request'; id: number; request: ParentRequest }
  | { type: 'log'; message: string }
  | { type: 'result'; result: ScenarioResult }
  | { type: 'error'; message: string }
