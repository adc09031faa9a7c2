import { getAssetUrlsByImport } from '@tldraw/assets/imports.vite'
import { useSync } from '@tldraw/sync'
import { useEffect } from 'react'
import { createRoot } from 'react-dom/client'
import { Tldraw, defaultBindingUtils, defaultShapeUtils, type TLAssetStore, type TLStore } from 'tldraw'
import 'tldraw/tldraw.css'
import { customShapeUtils } from '../../../client/board/shapes/customShapeUtils.ts'

/**
 * The browser side of the bench's tldraw sync peer: tldraw with its own multiplayer client
 * (`useSync`), Keyplan's card shapes, fonts and icons from this origin. The room is the page's
 * `?room=` (served by `bench/tldrawSync/TldrawSyncPeer.ts`). With `?writer=1` the page draws nothing
 * and only keeps the synced store, as `window.benchStore` once synced: the bench writes into it to
 * make changes the way a tldraw client sends them (moves as patches of the changed fields).
 */

declare global {
  interface Window {
    benchStore?: TLStore
  }
}

const assetUrls = getAssetUrlsByImport()
// useSync builds the store's schema from exactly these (Tldraw adds the defaults only for itself).
const shapeUtils = [...defaultShapeUtils, ...customShapeUtils]

// The bench uses no images; an asset store is required by useSync.
const assets: TLAssetStore = {
  upload: () => Promise.reject(new Error('no uploads in the bench')),
  resolve: (asset) => asset.props.src,
}

function App() {
  const query = new URLSearchParams(window.location.search)
  const room = query.get('room') ?? 'bench'
  const store = useSync({
    uri: `${window.location.protocol === 'https:' ? 'wss' : 'ws'}://${window.location.host}/connect/${encodeURIComponent(room)}`,
    assets,
    shapeUtils,
    bindingUtils: defaultBindingUtils,
  })
  const writer = query.get('writer') === '1'
  useEffect(() => {
    if (writer && store.status === 'synced-remote') window.benchStore = store.store
  }, [writer, store])
  if (writer) return <div id="writer">{store.status}</div>
  return <Tldraw store={store} shapeUtils={customShapeUtils} assetUrls={assetUrls} />
}

const root = document.getElementById('root')
if (!root) throw new Error('no #root element')
createRoot(root).render(<App />)
