"""Communities of practice: profiles, organisations, calls for contributors, a library of cases."""
