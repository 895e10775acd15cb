"""Notifications: follows, notices in the site and by e-mail, digests, unsubscribing."""
