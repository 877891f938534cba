"""One screen per file; see ARCHITECTURE.md for who owns which."""
