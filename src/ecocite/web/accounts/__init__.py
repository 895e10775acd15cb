"""People, their scoped roles, sign-in, sign-up and profile."""
