"""The web simulator, a channel like the others: a dashboard page (`page`, admins only) plays an
enrolled person through `bot.inbound.receive`, and the adapter (`adapter`) "delivers" an outbox
row by marking it sent, for the page to read. `channel`: the registry entry (`WEB_SIMULATOR`).
"""
