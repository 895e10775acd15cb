"""Template tags of the conversations app."""
