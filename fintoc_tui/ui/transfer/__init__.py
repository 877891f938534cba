"""Transfer: the form, confirm, send exactly once, follow the result, journal recovery."""
