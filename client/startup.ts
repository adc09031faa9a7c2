/**
 * Runs before any other module of the page (it is `main.tsx`'s first import):
 * - takes an invite link's `?token=` out of the address bar (docs/security.md [A11]);
 * - keeps zod from probing for `eval`, which the Content-Security-Policy forbids (the probe is
 *   harmless but reported as a violation; see `server/auth/securityHeaders.ts`).
 */
import { z } from 'zod'
import { captureTokenFromLocation } from './credentials.ts'

z.config({ jitless: true })
captureTokenFromLocation()
