"""Date formats the platform overrides (``FORMAT_MODULE_PATH``), per language."""
