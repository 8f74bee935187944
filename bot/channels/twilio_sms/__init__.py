"""SMS through Twilio: the worked example of a channel package (`docs/adding-a-channel.md`).

- `adapter`: sends, paced to `SMS_RATE_PER_SECOND` with urgent first; maps Twilio's answers
  onto the outbox's three outcomes; looks up what Twilio already accepted for rows taken over
  after a crash.
- `client`: the twilio library's async HTTP client on our aiohttp session.
- `webhook`: inbound SMS and delivery status callbacks, each signed (`X-Twilio-Signature`).
- `status`: a delivery report applied to the outbox row it is about.
- `channel`: the registry entry (configured from `TWILIO_*`; mounts the two webhooks).
"""
