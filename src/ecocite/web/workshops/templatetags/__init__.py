"""Template tags of the workshops app."""
