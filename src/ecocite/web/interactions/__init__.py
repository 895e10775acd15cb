"""Comments, supports, reports and attachments that any object can receive."""
