"""Models of the deviations app; filled in by its own issue."""
