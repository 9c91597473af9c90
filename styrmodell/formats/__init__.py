"""Date formats for the two languages of the interface (settings.FORMAT_MODULE_PATH)."""
