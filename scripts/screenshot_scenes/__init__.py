"""One module per area, each with `SCENES: list[scripts.screenshots.Scene]`."""
