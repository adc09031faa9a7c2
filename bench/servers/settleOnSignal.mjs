/**
 * Preloaded (`--import`) into every server under test, which runs with `--expose-gc`; plain
 * JavaScript, so that servers written in JavaScript run without a TypeScript loader:
 * SIGUSR2 forces a full garbage collection, so memory is compared after a settle rather
 * than at whatever point each server's collector happened to be. SIGUSR1 belongs to the
 * inspector; SIGUSR2 is unused by Node and by the servers.
 */
process.on('SIGUSR2', () => {
  globalThis.gc?.() // present because of --expose-gc
})
