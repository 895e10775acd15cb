"""Date and number formats for English pages."""
