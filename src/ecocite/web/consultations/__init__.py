"""Consultations: standing bodies, processes with phases, proposals, answers (issue 10)."""
