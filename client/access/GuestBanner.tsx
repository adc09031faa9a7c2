/** Tells a customer guest, on every board, whose workshop they are in and what they can see. */
export function GuestBanner() {
  return (
    <div className="guest-banner" role="note">
      <strong>You are joining as a guest of the account team.</strong> You see the boards the team shares with you.
    </div>
  )
}
