import { Route, Routes } from 'react-router'
import { LobbyPage } from './routes/LobbyPage.tsx'
import { NotFoundPage } from './routes/NotFoundPage.tsx'
import { SnapshotsPage } from './routes/SnapshotsPage.tsx'
import { WorkshopPage } from './routes/WorkshopPage.tsx'

/**
 * Keyplan's routes: the lobby, one page per board of a workshop (`/w/:workshopId` opens the first
 * board the role may see), and the workshop's snapshots.
 */
export function App() {
  return (
    <Routes>
      <Route path="/" element={<LobbyPage />} />
      <Route path="/w/:workshopId" element={<WorkshopPage />} />
      <Route path="/w/:workshopId/snapshots" element={<SnapshotsPage />} />
      <Route path="/w/:workshopId/:board" element={<WorkshopPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  )
}
