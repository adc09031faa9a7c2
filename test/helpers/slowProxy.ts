/**
 * A TCP proxy on 127.0.0.1 that adds a fixed delay to every chunk in both directions, keeping
 * their order: a database "far away", for running the store contract against a slow store
 * (issue 17). Timers of one duration fire in the order they were set, so bytes never overtake.
 *
 * @example
 * const proxy = await startSlowProxy(postgres.port, 5)
 * const store = await PostgresStore.open(url.replace(`:${postgres.port}/`, `:${proxy.port}/`))
 */
import net from 'node:net'

export type SlowProxy = {
  /** The proxy's port on 127.0.0.1. */
  port: number
  /** Stops accepting and cuts every open connection. */
  close(): Promise<void>
}

/** Starts a proxy to `127.0.0.1:targetPort` adding `delayMs` to each chunk. */
export async function startSlowProxy(targetPort: number, delayMs: number): Promise<SlowProxy> {
  const sockets = new Set<net.Socket>()
  const track = (socket: net.Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  }
  const relay = (from: net.Socket, to: net.Socket) => {
    from.on('data', (chunk) => {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk)
      }, delayMs)
    })
    from.on('end', () => setTimeout(() => to.end(), delayMs))
    from.on('error', () => to.destroy())
    from.on('close', () => setTimeout(() => to.destroy(), delayMs))
  }
  const server = net.createServer((client) => {
    const upstream = net.connect(targetPort, '127.0.0.1')
    track(client)
    track(upstream)
    relay(client, upstream)
    relay(upstream, client)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the slow proxy has no port')
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
