"""Reference frameworks on the platform: browse the bundled ones, upload new ones."""
