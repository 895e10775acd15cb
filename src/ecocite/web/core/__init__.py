"""The kernel: manifests, permissions, scopes, freshness, languages and the home page."""
