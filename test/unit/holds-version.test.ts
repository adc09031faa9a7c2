/**
 * [S42] `holdsVersion`: whether the server's document holds a page's version (its own clocks and
 * the ranges it deleted). Real Yjs documents: a page's inserts and deletes are held only once
 * applied; a deleted range the server has only in part is not held; a version of a client the
 * server never saw is not held.
 */
import { describe, expect, test } from 'vitest'
import * as Y from 'yjs'
import { holdsVersion } from '../../server/snapshot/seenVersions.ts'

type DeleteSet = ReturnType<typeof Y.createDeleteSet>

function pair(): { server: Y.Doc; page: Y.Doc } {
  const server = new Y.Doc()
  const page = new Y.Doc()
  const words = page.getArray<string>('words')
  words.insert(0, ['a', 'b', 'c', 'd', 'e', 'f'])
  Y.applyUpdate(server, Y.encodeStateAsUpdate(page))
  return { server, page }
}

/** The page's version as the client's tracker builds it: its clocks, and what it deleted. */
function versionOf(page: Y.Doc, deleted: DeleteSet = Y.createDeleteSet()): Y.Snapshot {
  return Y.createSnapshot(deleted, new Map([[page.clientID, Y.getState(page.store, page.clientID)]]))
}

function deleting(page: Y.Doc, index: number, length: number): DeleteSet {
  let deleted = Y.createDeleteSet()
  const seen = (transaction: Y.Transaction) => {
    deleted = transaction.deleteSet
  }
  page.once('afterTransaction', seen)
  page.getArray('words').delete(index, length)
  return deleted
}

describe('holdsVersion', () => {
  test('holds a version once the page\'s inserts are applied, not before', () => {
    const { server, page } = pair()
    expect(holdsVersion(server, versionOf(page))).toBe(true)
    const before = Y.encodeStateVector(server)
    page.getArray<string>('words').push(['g'])
    expect(holdsVersion(server, versionOf(page))).toBe(false)
    Y.applyUpdate(server, Y.encodeStateAsUpdate(page, before))
    expect(holdsVersion(server, versionOf(page))).toBe(true)
  })

  test('holds a delete only once the server deleted the whole range', () => {
    const { server, page } = pair()
    const deleted = deleting(page, 1, 4)
    expect(holdsVersion(server, versionOf(page, deleted))).toBe(false)
    // The server deletes part of it first (another page's delete), then the rest.
    server.getArray('words').delete(1, 2)
    expect(holdsVersion(server, versionOf(page, deleted))).toBe(false)
    Y.applyUpdate(server, Y.encodeStateAsUpdate(page))
    expect(holdsVersion(server, versionOf(page, deleted))).toBe(true)
  })

  test('does not hold a client it never saw, nor deletes of clocks it never had', () => {
    const { server } = pair()
    const stranger = Y.createSnapshot(Y.createDeleteSet(), new Map([[42, 3]]))
    expect(holdsVersion(server, stranger)).toBe(false)
    const other = new Y.Doc()
    other.clientID = 42
    other.getArray<string>('words').insert(0, ['x', 'y'])
    const ds = deleting(other, 0, 2)
    expect(holdsVersion(server, Y.createSnapshot(ds, new Map()))).toBe(false)
  })
})
