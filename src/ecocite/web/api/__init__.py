"""The REST API: its index and schema, built from each app's API routes."""
