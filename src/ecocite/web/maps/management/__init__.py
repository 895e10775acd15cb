"""Management commands of the maps app."""
