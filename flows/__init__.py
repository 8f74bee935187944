"""Pure domain logic of Peer Check-in: flow definitions, the step engine, parsers, risk screening.

Nothing in this package does I/O, reads the clock or touches the database; the runtime in `bot/`
passes `now` and everything else in, and persists and sends what comes out.
"""
