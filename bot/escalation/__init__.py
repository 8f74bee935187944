"""Escalations after they are raised: the supervisor queue, ACK / RESOLVE / reopen."""
