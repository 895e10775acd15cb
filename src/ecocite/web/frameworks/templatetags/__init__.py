"""Template tags that name reference frameworks in the page language."""
