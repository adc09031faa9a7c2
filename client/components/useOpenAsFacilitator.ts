import { useState, type MouseEvent } from 'react'
import { useNavigate } from 'react-router'
import { BOARD_IDS } from '../../shared/boards.ts'
import { ApiRequestError, joinAsFacilitator } from '../api.ts'

/**
 * Opening a workshop the lobby lists with the organisation key, as its facilitator: the link is got
 * first, also over a token this browser holds for another role (a guest link opened to preview the
 * customer's view) or one since revoked. For every list of workshops in the lobby (QA q28e: the
 * portfolio's list opened a workshop with the guest's link the browser held).
 * @returns the click handler of a workshop's link, and what went wrong, if anything
 */
export function useOpenAsFacilitator(): { open(event: MouseEvent<HTMLAnchorElement>, workshopId: string): Promise<void>; error: string | null } {
  const navigate = useNavigate()
  const [error, setError] = useState<string | null>(null)
  const open = async (event: MouseEvent<HTMLAnchorElement>, workshopId: string) => {
    event.preventDefault()
    try {
      await joinAsFacilitator(workshopId)
      setError(null)
      navigate(`/w/${workshopId}/${BOARD_IDS[0]}`)
    } catch (caught) {
      setError(caught instanceof ApiRequestError ? caught.message : 'Could not open the workshop.')
    }
  }
  return { open, error }
}
