import { Link } from 'react-router'
import { AppHeader } from '../components/AppHeader.tsx'

/** Any URL the app does not know. */
export function NotFoundPage({ message = 'This page does not exist.' }: { message?: string }) {
  return (
    <div className="lobby">
      <AppHeader />
      <main className="lobby-main">
        <section className="card notice">
          <h1>Not found</h1>
          <p>{message}</p>
          <Link className="button button-primary" to="/">
            Back to workshops
          </Link>
        </section>
      </main>
    </div>
  )
}
