"""Models of the reporting app; filled in by its own issue."""
