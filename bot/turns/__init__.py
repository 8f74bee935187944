"""Applying a conversation turn's result: one applier (`bot.turns.applier`) for a webhook
reply (a batch of one), a group commit (a few) and a scheduled fan-out (thousands)."""
