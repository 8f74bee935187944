"""Scheduling policy that needs the database: each program's default schedules."""
