import { z } from 'zod'

/**
 * zod's English messages ("Too big: expected string to have <=120 characters"). zod sets them as
 * a side effect of its own entry module, which declares `"sideEffects": false`, so the bundlers
 * (the server's rolldown bundle, the client's Vite build) dropped that call: every validation
 * error of the built server read "Invalid input" (QA q28c), while `npm run dev` named the problem.
 * Imported first by the server's and the client's entry modules.
 */
z.config(z.locales.en())
