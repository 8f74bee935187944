"""The semantic second reader of free text (embedding backend, classifier head, lazy loading).

Nothing here is imported by the conversation's hot path: the screening job
(``bot/jobs/semantic.py``) and ``checkin risk`` use it.
"""
