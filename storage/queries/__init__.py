"""Query functions: each takes a Session first and never commits (the caller's scope does)."""
