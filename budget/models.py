"""Models of the budget app; filled in by its own issue."""
