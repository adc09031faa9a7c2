/**
 * A TCP proxy on 127.0.0.1 whose link can be cut and restored: a server away for the one process
 * connected through it (a network partition), while it stays up for everyone else. Cut, every
 * connection through it is closed and new ones are closed as they come; silenced, the connections
 * stay open and carry nothing (a peer that stopped answering: what was sent waits in the sockets'
 * buffers); restored, they are carried again, what waited first.
 *
 * @example
 * const proxy = await startCuttableProxy(redis.port)
 * const instance = await cluster.start({ ...env, REDIS_URL: `redis://127.0.0.1:${proxy.port}` })
 * proxy.cut()
 */
import net from 'node:net'

export type CuttableProxy = {
  /** The proxy's port on 127.0.0.1. */
  port: number
  /** Closes every connection through it and refuses new ones until {@link restore}. */
  cut(): void
  /** Stops carrying bytes either way without closing anything, until {@link restore}. */
  silence(): void
  restore(): void
  /** Stops accepting and closes every open connection. */
  close(): Promise<void>
}

/** Starts a proxy to `127.0.0.1:targetPort`. */
export async function startCuttableProxy(targetPort: number): Promise<CuttableProxy> {
  const sockets = new Set<net.Socket>()
  let isCut = false
  let isSilent = false
  const relay = (from: net.Socket, to: net.Socket) => {
    sockets.add(from)
    if (isSilent) from.pause()
    from.on('data', (chunk) => {
      if (!to.destroyed) to.write(chunk)
    })
    from.on('end', () => to.end())
    from.on('error', () => to.destroy())
    from.on('close', () => {
      sockets.delete(from)
      to.destroy()
    })
  }
  const server = net.createServer((client) => {
    if (isCut) {
      client.destroy()
      return
    }
    const upstream = net.connect(targetPort, '127.0.0.1')
    relay(client, upstream)
    relay(upstream, client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the cuttable proxy has no port')
  return {
    port: address.port,
    cut() {
      isCut = true
      for (const socket of sockets) socket.destroy()
    },
    silence() {
      isSilent = true
      for (const socket of sockets) socket.pause()
    },
    restore() {
      isCut = false
      isSilent = false
      for (const socket of sockets) socket.resume()
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
