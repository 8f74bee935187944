"""When things happen: recurrence rules in a person's timezone, and a program's quiet hours."""
