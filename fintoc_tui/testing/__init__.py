"""Support for tests, screenshots and benchmarks. Never used on a path that moves money."""
