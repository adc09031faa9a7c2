import './startup.ts'
import '../shared/zodMessages.ts'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { BrowserRouter } from 'react-router'
import 'tldraw/tldraw.css'
import './styles.css'
import './shell.css'
import { App } from './App.tsx'
import { keepParticipantKey } from './identity.ts'
import { registerServiceWorker } from './offline/registerServiceWorker.ts'

const root = document.getElementById('root')
if (!root) throw new Error('index.html has no #root element')

// Before any board connects: a key localStorage lost comes back from IndexedDB ([S29]).
void keepParticipantKey().finally(() =>
  createRoot(root).render(
    <StrictMode>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </StrictMode>,
  ),
)

registerServiceWorker()
