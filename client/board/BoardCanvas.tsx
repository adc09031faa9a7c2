import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useMemo } from 'react'
import { Tldraw, atom, createTLCurrentUser, type Editor, type TLComponents, type TLStore } from 'tldraw'
import type { BoardId } from '../../shared/boards.ts'
import { BoardToolbar } from './BoardToolbar.tsx'
import { customShapeUtils } from './shapes/customShapeUtils.ts'
import type { BoardUser } from './useBoardSync.ts'

// Fonts, icons and translations come from our own origin: a workshop on a closed network
// must not depend on tldraw's CDN.
const assetUrls = getAssetUrlsByImport()

interface BoardCanvasProps {
  board: BoardId
  store: TLStore
  user: BoardUser
  onMount(editor: Editor): void
}

/** The full tldraw canvas of one board, with Keyplan's card shapes and board toolbar. */
export function BoardCanvas({ board, store, user, onMount }: BoardCanvasProps) {
  // tldraw reads the local user's name and colour from here (cursor chat, own presence).
  const currentUser = useMemo(
    () => createTLCurrentUser({ userPreferences: atom('keyplan user', { id: user.id, name: user.name, color: user.color }) }),
    [user.id, user.name, user.color],
  )

  const components = useMemo<TLComponents>(
    () => ({
      // One page per board: the page menu would only invite people to lose each other.
      PageMenu: null,
      TopPanel: () => <BoardToolbar board={board} />,
    }),
    [board],
  )

  return (
    <Tldraw
      store={store}
      shapeUtils={customShapeUtils}
      assetUrls={assetUrls}
      licenseKey={import.meta.env.VITE_TLDRAW_LICENSE_KEY}
      user={currentUser}
      components={components}
      onMount={onMount}
    />
  )
}

