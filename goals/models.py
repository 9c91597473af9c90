"""Models of the goals app; filled in by its own issue."""
