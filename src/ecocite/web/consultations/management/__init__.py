"""Management commands of the consultations app."""
