import { Navigate, Route, Routes, useLocation, useParams } from 'react-router'
import { LobbyPage } from './routes/LobbyPage.tsx'
import { NotFoundPage } from './routes/NotFoundPage.tsx'
import { SnapshotsPage } from './routes/SnapshotsPage.tsx'
import { WorkshopPage } from './routes/WorkshopPage.tsx'

/** Keyplan's routes: the lobby, one page per board of a workshop, and the workshop's snapshots. */
export function App() {
  return (
    <Routes>
      <Route path="/" element={<LobbyPage />} />
      <Route path="/w/:workshopId" element={<RedirectToFirstBoard />} />
      <Route path="/w/:workshopId/snapshots" element={<SnapshotsPage />} />
      <Route path="/w/:workshopId/:board" element={<WorkshopPage />} />
      <Route path="*" element={<NotFoundPage />} />
    </Routes>
  )
}

function RedirectToFirstBoard() {
  const { workshopId = '' } = useParams()
  const { search } = useLocation()
  return <Navigate to={`/w/${encodeURIComponent(workshopId)}/swot${search}`} replace />
}
