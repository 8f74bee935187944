"""Prometheus metrics (docs/monitoring.md): the in-process instruments (`instruments`), the
database state read at scrape time (`state`) and the token-protected route (`endpoint`)."""
