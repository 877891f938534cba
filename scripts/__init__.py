"""Developer scripts (`python -m scripts.screenshots`)."""
