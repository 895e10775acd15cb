"""Conversations in a consultation: statements, votes and the live opinion map (Polis method)."""
