"""Workshops in person, online and hybrid: registration, attendance, contributions typed in the room, minutes."""
