"""Part of the notifications app."""
